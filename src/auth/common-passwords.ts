// A small bundled list of passwords (and words) that top every breach list, lower case. Passwords
// shorter than the minimum length need no entry; words are matched with digits/symbols removed.
export const COMMON_WORDS = [
  'password', 'passw0rd', 'qwerty', 'letmein', 'welcome', 'admin', 'administrator', 'iloveyou', 'monkey', 'dragon',
  'football', 'baseball', 'master', 'sunshine', 'princess', 'shadow', 'superman', 'batman', 'trustno', 'starwars',
  'login', 'secret', 'abc', 'abcdef', 'qwe', 'asdf', 'zxcv', 'changeme', 'default', 'guest', 'root', 'test', 'user',
  'hello', 'freedom', 'whatever', 'michael', 'jennifer', 'jordan', 'charlie', 'summer', 'winter', 'spring', 'autumn',
  'january', 'december', 'company', 'customer', 'insurance', 'loyalty',
];

export const COMMON_PASSWORDS = new Set([
  'correcthorsebatterystaple', 'correct horse battery staple', 'passwordpassword', 'password1234', 'password12345',
  'password123456', 'password2023', 'password2024', 'password2025', 'password2026', 'qwertyuiopasdf', 'qwertyuiop123',
  'qwerty123456', '123456789012', '1234567890123', '111111111111', '000000000000', 'iloveyou1234', 'letmein12345',
  'welcome12345', 'welcome2024!', 'administrator', 'administrator1', 'admin1234567', 'abcdefghijkl', 'abc123456789',
  'trustno1trustno1', 'mypassword123', 'thisismypassword', 'changemeplease', 'letmeinplease', 'qazwsxedcrfv',
  '1q2w3e4r5t6y', '1qaz2wsx3edc', 'zaq12wsxcde3', 'q1w2e3r4t5y6', 'asdfghjkl123', 'zxcvbnm12345', 'superman1234',
  'baseball1234', 'football1234', 'princess1234', 'sunshine1234', 'starwars1234', 'monkey123456', 'dragon123456',
  'master123456', 'whatever1234', 'iloveyouiloveyou', 'p@ssw0rd1234', 'p@ssword1234', 'passw0rd1234',
]);
