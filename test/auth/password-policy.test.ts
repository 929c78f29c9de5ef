import { passwordProblem } from '../../src/auth/password-policy';

describe('passwordProblem', () => {
  it.each([
    ['a long passphrase', 'violet kettles hum at dawn', null],
    ['12 mixed characters', 'Tr0ub4dor&3x', null],
    ['11 characters', 'abcdefghijk', /at least 12/],
    ['too long', `${'x'.repeat(257)}abcd`, /at most 256/],
    ['the e-mail itself', 'jane.doe@example.com', /e-mail/],
    ['the e-mail name inside', 'JaneDoe-2024-spring', /e-mail/],
    ['a breached classic', 'password1234', /too common/],
    ['a common word with decoration', 'Password2024!', /too common/],
    ['a doubled common word', 'monkeymonkey', /too common/],
    ['a keyboard row', 'qwertyuiop12', /too common|sequence/],
    ['a number sequence', '1234567890ab', /sequence/],
    ['one character repeated', 'aaaaaaaaaaaaaa', /too few different/],
    ['the xkcd phrase', 'correct horse battery staple', /too common/],
  ])('%s', (_name, password, expected) => {
    const problem = passwordProblem(password, 'jane.doe@example.com');
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
