import { Validator } from '../../shared/domain-error';

export interface AddressFields {
  label?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

const trimOrNull = (value: string | null | undefined) => (value == null ? value : value.trim() || null);

/** Trims text fields and upper-cases the country; undefined stays undefined (field not changed). */
export function normaliseAddress<T extends AddressFields>(input: T): T {
  return {
    ...input,
    label: trimOrNull(input.label),
    line1: trimOrNull(input.line1),
    line2: trimOrNull(input.line2),
    city: trimOrNull(input.city),
    region: trimOrNull(input.region),
    postalCode: trimOrNull(input.postalCode),
    country: input.country == null ? input.country : input.country.toUpperCase(),
  };
}

/** Checks a complete (create) or partial (update) address; `path` prefixes the field names. */
export function validateAddress(v: Validator, a: AddressFields, path: string[], partial = false): void {
  const required = (value: string | null | undefined) => (partial ? value !== null : Boolean(value));
  v.check(required(a.line1), [...path, 'line1'], 'Street line 1 is required');
  v.check(required(a.city), [...path, 'city'], 'City is required');
  v.check(partial ? a.country !== null : Boolean(a.country), [...path, 'country'], 'Country is required');
  for (const key of ['label', 'line1', 'line2', 'city', 'region'] as const) {
    v.check((a[key]?.length ?? 0) <= 200, [...path, key], `${key} is longer than 200 characters`);
  }
  v.check((a.postalCode?.length ?? 0) <= 20, [...path, 'postalCode'], 'Postal code is longer than 20 characters');
  v.check(
    (a.latitude == null) === (a.longitude == null) || partial,
    [...path, 'latitude'],
    'Give latitude and longitude together',
  );
}
