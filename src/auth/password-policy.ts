// What a new staff password must be (NIST SP 800-63B: length over composition rules, and a
// check against passwords attackers try first). Pure, table-tested.
import { COMMON_PASSWORDS, COMMON_WORDS } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 12;
const KEYBOARD = 'qwertyuiopasdfghjklzxcvbnm';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
export const MAX_PASSWORD_LENGTH = 256; // scrypt of a megabyte would be a cheap way to burn our CPU

/** Why `password` is refused for the staff member with `email`, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (length > MAX_PASSWORD_LENGTH) return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  const lowered = password.toLowerCase();
  const local = email.trim().toLowerCase().split('@')[0] ?? '';
  if (
    lowered === email.trim().toLowerCase() ||
    (local.length >= 4 && lowered.replace(/[^a-z0-9]/g, '').includes(local.replace(/[^a-z0-9]/g, '')))
  ) {
    return 'Password must not contain your e-mail address';
  }
  if (new Set(lowered).size < 4) return 'Password repeats too few different characters';
  // "Password2024!", "qwerty123456", "letmein!!!!!": a common password or word with decoration.
  const core = lowered.replace(/[^a-z]/g, '');
  if (
    COMMON_PASSWORDS.has(lowered) ||
    COMMON_PASSWORDS.has(core) ||
    COMMON_WORDS.some((word) => core === word || core === word + word)
  ) {
    return 'Password is too common; choose a longer phrase that is not a well-known password';
  }
  const sequenceLetters = core.length >= 6 && (KEYBOARD.includes(core) || ALPHABET.includes(core));
  if (sequenceLetters || (/^(?:0123456789|1234567890|9876543210)/.test(lowered) && core.length < 8)) {
    return 'Password is a keyboard or number sequence';
  }
  return null;
}
