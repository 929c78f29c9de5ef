import type { JwtSettings } from './auth/jwt';
import type { Database } from './db/client';
import { AddressService } from './modules/address/address.service';
import { AuthService } from './modules/auth/auth.service';
import { CustomerService } from './modules/customer/customer.service';

/** The composition root: one instance of each service per process (they hold no request state). */
export function createServices(db: Database, jwt: JwtSettings) {
  return {
    db,
    auth: new AuthService(db.prisma, jwt),
    customers: new CustomerService(db.prisma),
    addresses: new AddressService(db.prisma),
  };
}

export type Services = ReturnType<typeof createServices>;
