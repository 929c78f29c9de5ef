// How personal data looks to an ANALYST (SPEC §2): enough to analyse, not enough to identify.

/** j***@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** +1******0123: country prefix and the last four digits stay. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  const prefix = phone.startsWith('+') ? phone.slice(0, 2) : phone.slice(0, 1);
  return prefix + '*'.repeat(phone.length - prefix.length - 4) + phone.slice(-4);
}
