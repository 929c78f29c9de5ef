// Demo data for a fresh install, and fast bulk generation of realistic customers for load tests.
// Bulk rows are generated inside the database (INSERT … SELECT … FROM generate_series) so that
// 100k customers cost a few statements rather than 100k round trips.
import { hashPassword } from '../auth/password';
import type { Database } from './client';
import { seedShowcase } from './demo-showcase';
import type { SqlRunner } from './sql';

export interface DemoUser {
  email: string;
  password: string;
  name: string;
  role: 'ADMIN' | 'MANAGER' | 'AGENT' | 'ANALYST';
}

/** Demo staff accounts; the passwords are documented, so never seed them into a real deployment. */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'admin@example.com', password: 'admin-demo-password', name: 'Grace Holloway', role: 'ADMIN' },
  { email: 'manager@example.com', password: 'manager-demo-password', name: 'Marcus Bennett', role: 'MANAGER' },
  { email: 'agent@example.com', password: 'agent-demo-password', name: 'Priya Natarajan', role: 'AGENT' },
  { email: 'agent2@example.com', password: 'agent2-demo-password', name: 'Diego Alvarez', role: 'AGENT' },
  { email: 'analyst@example.com', password: 'analyst-demo-password', name: 'Hannah Okafor', role: 'ANALYST' },
];

const DEMO_CUSTOMERS = 40;

const DEMO_REWARDS = [
  { name: 'Coffee voucher', description: 'One hot drink at any partner café', pointsCost: 100, stock: null },
  { name: 'Free shipping', description: 'Free standard shipping on the next order', pointsCost: 250, stock: null },
  { name: '10% off', description: '10% off the next order', pointsCost: 500, stock: 50 },
  { name: 'Cinema ticket', description: 'One standard cinema ticket', pointsCost: 800, stock: 100 },
  { name: '$50 gift card', description: 'A $50 gift card', pointsCost: 2000, stock: 20 },
];

// Any constant works; it only has to differ from the migration lock (72707369).
const SEED_LOCK_KEY = 72707370;

const hasStaff = async (sql: SqlRunner) => (await sql.query('SELECT 1 FROM staff_users LIMIT 1')).length > 0;

export interface SeedDemoOptions {
  /** Told after each step with the number of rows it wrote (the seed script prints progress). */
  onStep?: (step: string, count: number) => void;
}

/**
 * Seeds demo staff, customers and rewards into an empty database (no staff users yet), in one
 * transaction, then the activity that shows every feature (demo-showcase.ts, through the
 * services). Returns false, touching nothing, when data already exists.
 */
export async function seedDemoData(db: Database, options: SeedDemoOptions = {}): Promise<boolean> {
  const report = options.onStep ?? (() => {});
  if (await hasStaff(db.sql)) return false;
  const hashes = await Promise.all(DEMO_USERS.map((user) => hashPassword(user.password)));
  const seeded = await db.sql.transaction(async (tx) => {
    // Two instances booting together: the second waits here and then finds the first one's data.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    if (await hasStaff(tx)) return false;
    const staff = await tx.query<{ id: string; role: string }>(
      `INSERT INTO staff_users (email, name, role, password_hash, updated_at)
       SELECT email, name, role::"StaffRole", hash, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(email, name, role, hash)
       RETURNING id, role`,
      [DEMO_USERS.map((u) => u.email), DEMO_USERS.map((u) => u.name), DEMO_USERS.map((u) => u.role), hashes],
    );
    report('staff', staff.length);
    const agentIds = staff.filter((s) => s.role === 'AGENT').map((s) => s.id);
    // The same demo customers on every fresh start: random() is seeded for this transaction's session.
    await tx.query('SELECT setseed(0.42)');
    report('customers', await seedCustomers(tx, DEMO_CUSTOMERS, { ownerIds: agentIds }));
    const rewards = await tx.query(
      `INSERT INTO rewards (name, description, points_cost, stock)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) ON CONFLICT (name) DO NOTHING RETURNING 1`,
      [
        DEMO_REWARDS.map((r) => r.name),
        DEMO_REWARDS.map((r) => r.description),
        DEMO_REWARDS.map((r) => r.pointsCost),
        DEMO_REWARDS.map((r) => r.stock),
      ],
    );
    report('rewards', rewards.length);
    return true;
  });
  if (seeded) await seedShowcase(db, report);
  return seeded;
}

// ───────────────────────────── Bulk generation ─────────────────────────────

// [first name, gender]; the e-mail local part keeps only a–z, so accents are folded below.
const FIRST_NAMES: [string, 'FEMALE' | 'MALE'][] = [
  ['Olivia', 'FEMALE'],
  ['Emma', 'FEMALE'],
  ['Amelia', 'FEMALE'],
  ['Sophia', 'FEMALE'],
  ['Isabella', 'FEMALE'],
  ['Mia', 'FEMALE'],
  ['Charlotte', 'FEMALE'],
  ['Harper', 'FEMALE'],
  ['Zoë', 'FEMALE'],
  ['Chloé', 'FEMALE'],
  ['Aisha', 'FEMALE'],
  ['Mei', 'FEMALE'],
  ['Priya', 'FEMALE'],
  ['Lucía', 'FEMALE'],
  ['Hannah', 'FEMALE'],
  ['Sofia', 'FEMALE'],
  ['Fatima', 'FEMALE'],
  ['Yuki', 'FEMALE'],
  ['Ingrid', 'FEMALE'],
  ['Grace', 'FEMALE'],
  ['Liam', 'MALE'],
  ['Noah', 'MALE'],
  ['Oliver', 'MALE'],
  ['James', 'MALE'],
  ['Lucas', 'MALE'],
  ['Mateo', 'MALE'],
  ['Ethan', 'MALE'],
  ['Benjamin', 'MALE'],
  ['Omar', 'MALE'],
  ['Raj', 'MALE'],
  ['Wei', 'MALE'],
  ['Kenji', 'MALE'],
  ['José', 'MALE'],
  ['Luca', 'MALE'],
  ['Finn', 'MALE'],
  ['Samuel', 'MALE'],
  ['Daniel', 'MALE'],
  ['Kwame', 'MALE'],
  ['Henrik', 'MALE'],
  ['Thomas', 'MALE'],
];

const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernández',
  'Lopez',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  "O'Brien",
  'Walker',
  'Young',
  'Allen',
  'King',
  'Müller',
  'Schmidt',
  'Dubois',
  'Rossi',
  'Silva',
  'Kowalski',
  'Nguyen',
  'Chen',
  'Wang',
  'Kim',
  'Patel',
  'Singh',
  'Tanaka',
  'Sato',
  'Okafor',
  'Mensah',
  'Johansson',
  'Larsen',
  'Van der Berg',
  'Murphy',
];

// [city, region, ISO 3166-1 alpha-2, postal code, latitude, longitude, phone prefix, subscriber digits, time zone, currency, language]
type City = [string, string, string, string, number, number, string, number, string, string, string];
const CITIES: City[] = [
  ['New York', 'NY', 'US', '10001', 40.7128, -74.006, '+1212', 7, 'America/New_York', 'USD', 'en'],
  ['Los Angeles', 'CA', 'US', '90012', 34.0522, -118.2437, '+1213', 7, 'America/Los_Angeles', 'USD', 'en'],
  ['Chicago', 'IL', 'US', '60601', 41.8781, -87.6298, '+1312', 7, 'America/Chicago', 'USD', 'en'],
  ['Houston', 'TX', 'US', '77002', 29.7604, -95.3698, '+1713', 7, 'America/Chicago', 'USD', 'en'],
  ['Seattle', 'WA', 'US', '98101', 47.6062, -122.3321, '+1206', 7, 'America/Los_Angeles', 'USD', 'en'],
  ['Boston', 'MA', 'US', '02108', 42.3601, -71.0589, '+1617', 7, 'America/New_York', 'USD', 'en'],
  ['Miami', 'FL', 'US', '33131', 25.7617, -80.1918, '+1305', 7, 'America/New_York', 'USD', 'en'],
  ['Denver', 'CO', 'US', '80202', 39.7392, -104.9903, '+1303', 7, 'America/Denver', 'USD', 'en'],
  ['Toronto', 'ON', 'CA', 'M5H 2N2', 43.6532, -79.3832, '+1416', 7, 'America/Toronto', 'CAD', 'en'],
  ['Vancouver', 'BC', 'CA', 'V6B 1A1', 49.2827, -123.1207, '+1604', 7, 'America/Vancouver', 'CAD', 'en'],
  ['Montréal', 'QC', 'CA', 'H2Y 1C6', 45.5019, -73.5674, '+1514', 7, 'America/Toronto', 'CAD', 'fr'],
  ['London', 'England', 'GB', 'EC1A 1BB', 51.5074, -0.1278, '+4420', 8, 'Europe/London', 'GBP', 'en'],
  ['Manchester', 'England', 'GB', 'M1 1AE', 53.4808, -2.2426, '+44161', 7, 'Europe/London', 'GBP', 'en'],
  ['Dublin', 'Leinster', 'IE', 'D02 X285', 53.3498, -6.2603, '+3531', 7, 'Europe/Dublin', 'EUR', 'en'],
  ['Paris', 'Île-de-France', 'FR', '75001', 48.8566, 2.3522, '+331', 8, 'Europe/Paris', 'EUR', 'fr'],
  ['Lyon', 'Auvergne-Rhône-Alpes', 'FR', '69001', 45.764, 4.8357, '+334', 8, 'Europe/Paris', 'EUR', 'fr'],
  ['Berlin', 'Berlin', 'DE', '10115', 52.52, 13.405, '+4930', 8, 'Europe/Berlin', 'EUR', 'de'],
  ['Munich', 'Bavaria', 'DE', '80331', 48.1351, 11.582, '+4989', 8, 'Europe/Berlin', 'EUR', 'de'],
  ['Madrid', 'Madrid', 'ES', '28001', 40.4168, -3.7038, '+3491', 7, 'Europe/Madrid', 'EUR', 'es'],
  ['Barcelona', 'Catalonia', 'ES', '08001', 41.3874, 2.1686, '+3493', 7, 'Europe/Madrid', 'EUR', 'es'],
  ['Amsterdam', 'North Holland', 'NL', '1012 AB', 52.3676, 4.9041, '+3120', 7, 'Europe/Amsterdam', 'EUR', 'nl'],
  ['Milan', 'Lombardy', 'IT', '20121', 45.4642, 9.19, '+3902', 8, 'Europe/Rome', 'EUR', 'it'],
  ['Lisbon', 'Lisbon', 'PT', '1100-148', 38.7223, -9.1393, '+35121', 7, 'Europe/Lisbon', 'EUR', 'pt'],
  ['Stockholm', 'Stockholm', 'SE', '111 20', 59.3293, 18.0686, '+468', 8, 'Europe/Stockholm', 'SEK', 'sv'],
  ['Sydney', 'NSW', 'AU', '2000', -33.8688, 151.2093, '+612', 8, 'Australia/Sydney', 'AUD', 'en'],
  ['Melbourne', 'VIC', 'AU', '3000', -37.8136, 144.9631, '+613', 8, 'Australia/Melbourne', 'AUD', 'en'],
  ['Auckland', 'Auckland', 'NZ', '1010', -36.8485, 174.7633, '+649', 7, 'Pacific/Auckland', 'NZD', 'en'],
  ['Mexico City', 'CDMX', 'MX', '06000', 19.4326, -99.1332, '+5255', 8, 'America/Mexico_City', 'MXN', 'es'],
  ['São Paulo', 'SP', 'BR', '01000-000', -23.5505, -46.6333, '+5511', 8, 'America/Sao_Paulo', 'BRL', 'pt'],
  ['Singapore', 'Singapore', 'SG', '049319', 1.2834, 103.8607, '+65', 8, 'Asia/Singapore', 'SGD', 'en'],
];

const STREETS = [
  'Maple Street',
  'Oak Avenue',
  'Cedar Lane',
  'Pine Road',
  'Elm Street',
  'Park Avenue',
  'High Street',
  'Church Road',
  'Station Road',
  'Mill Lane',
  'Victoria Road',
  'King Street',
  'Queen Street',
  'Riverside Drive',
  'Harbour View',
  'Lakeview Terrace',
  'Sunset Boulevard',
  'Market Square',
  'Chestnut Close',
  'Willow Way',
];

const OCCUPATIONS = [
  'Software engineer',
  'Teacher',
  'Nurse',
  'Accountant',
  'Electrician',
  'Graphic designer',
  'Sales manager',
  'Pharmacist',
  'Civil engineer',
  'Chef',
  'Lawyer',
  'Physician',
  'Architect',
  'Marketing specialist',
  'Project manager',
  'Data analyst',
  'Plumber',
  'Retail assistant',
  'Student',
  'Retired',
];

const TAGS = ['vip', 'newsletter', 'high-value', 'at-risk', 'referral', 'early-adopter', 'family', 'wholesale'];

// Reserved example domains: generated addresses can never reach a real mailbox.
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

/** Lookup tables, sent as array parameters $3… and read in SQL as columns of the one-row CTE `k`. */
const LOOKUPS: [name: string, type: string, values: unknown[]][] = [
  ['first_names', 'text[]', FIRST_NAMES.map(([name]) => name)],
  ['genders', 'text[]', FIRST_NAMES.map(([, gender]) => gender)],
  ['last_names', 'text[]', LAST_NAMES],
  ['cities', 'text[]', CITIES.map((c) => c[0])],
  ['regions', 'text[]', CITIES.map((c) => c[1])],
  ['countries', 'text[]', CITIES.map((c) => c[2])],
  ['postcodes', 'text[]', CITIES.map((c) => c[3])],
  ['lats', 'float8[]', CITIES.map((c) => c[4])],
  ['lons', 'float8[]', CITIES.map((c) => c[5])],
  ['phone_prefixes', 'text[]', CITIES.map((c) => c[6])],
  ['phone_digits', 'int[]', CITIES.map((c) => c[7])],
  ['timezones', 'text[]', CITIES.map((c) => c[8])],
  ['currencies', 'text[]', CITIES.map((c) => c[9])],
  ['languages', 'text[]', CITIES.map((c) => c[10])],
  ['streets', 'text[]', STREETS],
  ['occupations', 'text[]', OCCUPATIONS],
  ['tags', 'text[]', TAGS],
  ['domains', 'text[]', EMAIL_DOMAINS],
];

/** SQL picking one of `weights`' keys at random, each as often as its weight (constants only). */
function oneOf(weights: Record<string, number>, type: string): string {
  const values = Object.entries(weights).flatMap(([value, weight]) => Array<string>(weight).fill(`'${value}'`));
  return `((ARRAY[${values.join(',')}])[1 + floor(random() * ${values.length})::int])::${type}`;
}

/** 1-based random index into the lookup array `k.<name>`. */
const idx = (name: string) => `1 + floor(random() * cardinality(k.${name}))::int`;

// `src` draws everything used in more than one place once per row (MATERIALIZED: volatile
// functions are evaluated exactly once). The customer number comes from the column's own
// sequence so that it can go into the e-mail, which keeps e-mails unique across runs.
const BULK_SQL = `
WITH k AS (
  SELECT $2::uuid[] AS owners, ${LOOKUPS.map(([name, type], i) => `$${i + 3}::${type} AS ${name}`).join(', ')}
),
src AS MATERIALIZED (
  SELECT gen_random_uuid() AS id,
         nextval('customers_number_seq')::int AS number,
         ${idx('first_names')} AS fi,
         ${idx('last_names')} AS li,
         ${idx('cities')} AS ci,
         CASE WHEN random() < 0.3 THEN ${idx('cities')} END AS ci2,
         now() - random() * interval '3 years' AS created_at,
         sqrt(random()) AS seen,
         floor(power(random(), 2) * 40)::int AS orders,
         random() < 0.4 AS marketing,
         floor(random() * 3)::int AS tag_count,
         floor(random() * cardinality(k.tags))::int AS t1,
         1 + floor(random() * (cardinality(k.tags) - 1))::int AS t2
  FROM generate_series(1, $1::int), k
),
customers_in AS (
  INSERT INTO customers (id, number, first_name, last_name, email, phone, birth_date, gender, occupation,
    annual_income, dependants, type, status, tags, pref_language, pref_currency, pref_timezone, pref_channel,
    paperless, auto_renewal, data_processing_consent_at, marketing_consent, marketing_consent_at,
    last_contact_at, last_activity_at, total_spent, order_count, late_payments, owner_id, created_at, updated_at)
  SELECT s.id, s.number, k.first_names[s.fi], k.last_names[s.li],
    regexp_replace(translate(lower(k.first_names[s.fi] || '.' || k.last_names[s.li]), 'áàâäãåçéèêëíìîïñóòôöõúùûüý', 'aaaaaaceeeeiiiinooooouuuuy'), '[^a-z.]', '', 'g')
      || '.' || s.number || '@' || k.domains[1 + s.number % cardinality(k.domains)],
    CASE WHEN random() < 0.92 THEN k.phone_prefixes[s.ci] || (2 + floor(random() * 8))::int
      || lpad(floor(random() * 10 ^ (k.phone_digits[s.ci] - 1))::bigint::text, k.phone_digits[s.ci] - 1, '0') END,
    (current_date - interval '18 years' - random() * interval '67 years')::date,
    CASE WHEN random() < 0.06 THEN ${oneOf({ OTHER: 1, UNDISCLOSED: 2 }, 'text')} ELSE k.genders[s.fi] END::"Gender",
    CASE WHEN random() < 0.9 THEN k.occupations[${idx('occupations')}] END,
    CASE WHEN random() < 0.8 THEN round((18000 + power(random(), 2) * 232000)::numeric, -2) END,
    CASE WHEN random() < 0.75 THEN floor(power(random(), 1.5) * 5)::int END,
    ${oneOf({ INDIVIDUAL: 9, BUSINESS: 1 }, '"CustomerType"')},
    ${oneOf({ ACTIVE: 17, INACTIVE: 2, SUSPENDED: 1 }, '"CustomerStatus"')},
    CASE s.tag_count WHEN 0 THEN ARRAY[]::text[]
      WHEN 1 THEN ARRAY[k.tags[1 + s.t1]]
      ELSE ARRAY[k.tags[1 + s.t1], k.tags[1 + (s.t1 + s.t2) % cardinality(k.tags)]] END,
    k.languages[s.ci], k.currencies[s.ci], k.timezones[s.ci],
    ${oneOf({ EMAIL: 6, SMS: 2, PHONE: 1, POST: 1 }, '"ContactChannel"')},
    random() < 0.7, random() < 0.35,
    s.created_at, s.marketing, CASE WHEN s.marketing THEN s.created_at END,
    CASE WHEN random() < 0.5 THEN s.created_at + random() * (now() - s.created_at) END,
    s.created_at + s.seen * (now() - s.created_at),
    round((s.orders * (25 + random() * 150))::numeric, 2), s.orders,
    CASE WHEN random() < 0.1 THEN 1 + floor(random() * 3)::int ELSE 0 END,
    k.owners[1 + s.number % nullif(cardinality(k.owners), 0)],
    s.created_at, s.created_at + s.seen * (now() - s.created_at)
  FROM src s, k
  RETURNING 1
),
addresses_in AS (
  INSERT INTO addresses (customer_id, label, line1, line2, city, region, postal_code, country, latitude, longitude, is_default, created_at, updated_at)
  SELECT a.customer_id, CASE WHEN a.is_default THEN 'Home' ELSE ${oneOf({ Work: 2, Billing: 1 }, 'text')} END,
    (1 + floor(random() * 250))::int || ' ' || k.streets[${idx('streets')}],
    CASE WHEN random() < 0.2 THEN 'Apt ' || (1 + floor(random() * 60))::int END,
    k.cities[a.ci], k.regions[a.ci], k.postcodes[a.ci], k.countries[a.ci],
    round((k.lats[a.ci] + (random() - 0.5) * 0.1)::numeric, 6), round((k.lons[a.ci] + (random() - 0.5) * 0.1)::numeric, 6),
    a.is_default, a.created_at, a.created_at
  FROM (SELECT id AS customer_id, ci, true AS is_default, created_at FROM src
        UNION ALL
        SELECT id, ci2, false, least(now(), created_at + random() * interval '300 days') FROM src WHERE ci2 IS NOT NULL) a, k
  RETURNING 1
),
loyalty_in AS (
  INSERT INTO loyalty_accounts (customer_id, joined_at, updated_at) SELECT id, created_at, created_at FROM src
  RETURNING 1
)
SELECT count(*)::int AS n FROM customers_in`;

export interface SeedCustomersOptions {
  /** Staff users to spread ownership over; defaults to the active AGENT staff users (none: no owner). */
  ownerIds?: string[];
  /** Customers per INSERT statement: bounds the memory one statement needs. */
  batchSize?: number;
  onProgress?: (inserted: number) => void;
}

/**
 * Inserts `count` generated customers, each with one or two addresses (exactly one default) and a
 * BRONZE loyalty account, then ANALYZEs those tables. Each batch is one atomic statement.
 * Returns the number inserted.
 */
export async function seedCustomers(
  sql: SqlRunner,
  count: number,
  options: SeedCustomersOptions = {},
): Promise<number> {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 50_000));
  const ownerIds =
    options.ownerIds ??
    (await sql.query<{ id: string }>(`SELECT id FROM staff_users WHERE role = 'AGENT' AND active ORDER BY email`)).map(
      (r) => r.id,
    );
  const lookups = LOOKUPS.map(([, , values]) => values);
  let inserted = 0;
  while (inserted < count) {
    const size = Math.min(batchSize, count - inserted);
    const [row] = await sql.query<{ n: number }>(BULK_SQL, [size, ownerIds, ...lookups]);
    inserted += Number(row.n);
    options.onProgress?.(inserted);
  }
  // Fresh planner statistics, as after any bulk load: until the tables are analysed the planner
  // guesses (e.g. 1 matching row), sorts whole filtered sets instead of walking the sort index and
  // seq-scans addresses in the loaders. PGlite never analyses by itself (no autovacuum), and
  // PostgreSQL's autovacuum gets to it only a minute or so later.
  if (inserted > 0) await sql.exec('ANALYZE customers, addresses, loyalty_accounts');
  return inserted;
}
