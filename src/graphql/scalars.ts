import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { Decimal } from '../generated/prisma/internal/prismaNamespace';

export {
  CountryCodeResolver as CountryCodeScalar,
  CurrencyResolver as CurrencyScalar,
  DateTimeResolver as DateTimeScalar,
  EmailAddressResolver as EmailAddressScalar,
  JSONResolver as JSONScalar,
  LatitudeResolver as LatitudeScalar,
  LocalDateResolver as LocalDateScalar,
  LongitudeResolver as LongitudeScalar,
  NonNegativeIntResolver as NonNegativeIntScalar,
  PhoneNumberResolver as PhoneNumberScalar,
  PositiveIntResolver as PositiveIntScalar,
} from 'graphql-scalars';

const DECIMAL_PATTERN = /^-?\d{1,16}(\.\d{1,6})?$/;

// Only strings are accepted: a JSON number has already been through a float on the client.
function parseDecimal(value: unknown): Decimal {
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value.trim())) {
    throw new GraphQLError(`Decimal must be a decimal number written as a string, e.g. "1234.50"; got ${JSON.stringify(value)}`);
  }
  return new Decimal(value.trim());
}

/** Money and other exact quantities: a string on the wire, never a float. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number, sent as a string ("1234.50") so no precision is lost. Used for money.',
  serialize(value) {
    if (value instanceof Decimal) return value.toFixed();
    if (typeof value === 'string' || typeof value === 'number') return new Decimal(value).toFixed();
    if (value && typeof value === 'object' && 'toFixed' in value) return (value as Decimal).toFixed();
    throw new GraphQLError('Decimal cannot represent this value');
  },
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING) return parseDecimal(ast.value);
    throw new GraphQLError('Decimal must be a string such as "1234.50"');
  },
});
