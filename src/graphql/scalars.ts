import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { Decimal } from '../generated/prisma/internal/prismaNamespace';
import { EARLIEST_INSTANT, isSaneInstant, LATEST_INSTANT } from '../shared/dates';

export {
  CountryCodeResolver as CountryCodeScalar,
  CurrencyResolver as CurrencyScalar,
  EmailAddressResolver as EmailAddressScalar,
  JSONResolver as JSONScalar,
  LatitudeResolver as LatitudeScalar,
  LongitudeResolver as LongitudeScalar,
  NonNegativeIntResolver as NonNegativeIntScalar,
  PhoneNumberResolver as PhoneNumberScalar,
  PositiveIntResolver as PositiveIntScalar,
} from 'graphql-scalars';

const DECIMAL_PATTERN = /^-?\d{1,16}(\.\d{1,6})?$/;

// Only strings are accepted: a JSON number has already been through a float on the client.
function parseDecimal(value: unknown): Decimal {
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value.trim())) {
    throw new GraphQLError(
      `Decimal must be a decimal number written as a string, e.g. "1234.50"; got ${JSON.stringify(value)}`,
    );
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

const RANGE = `${EARLIEST_INSTANT.getUTCFullYear()} to ${LATEST_INSTANT.getUTCFullYear()}`;

/**
 * A graphql-scalars date scalar whose inputs must also lie in years 1900–9999 (see
 * isSaneInstant): "0000-01-01T00:00:00Z" is valid ISO 8601 but fails in PostgreSQL.
 */
function bounded<T>(base: GraphQLScalarType, toDate: (value: T) => Date): GraphQLScalarType {
  const check = (value: T): T => {
    if (!isSaneInstant(toDate(value))) throw new GraphQLError(`${base.name} must be within the years ${RANGE}`);
    return value;
  };
  const config = base.toConfig();
  return new GraphQLScalarType({
    ...config,
    parseValue: (value: unknown) => check(config.parseValue!(value) as T),
    parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) =>
      check(config.parseLiteral!(ast, variables) as T),
  });
}

/** An instant (UTC, ISO 8601 on the wire), years 1900–9999 on input. */
export const DateTimeScalar = bounded<Date>(DateTimeResolver, (value) => value);

/** A calendar date "YYYY-MM-DD", years 1900–9999 on input. */
export const LocalDateScalar = bounded<string>(LocalDateResolver, (value) => new Date(`${value}T00:00:00Z`));
