// Imported first by bench/segments.bench.ts: NODE_ENV has to be set before graphql-js and Apollo
// are loaded, because they choose their development-only checks when their modules are evaluated.
// Production (as deployed) unless `--mode test` is given.
const at = process.argv.indexOf('--mode');
process.env.NODE_ENV = at > 0 && process.argv[at + 1] === 'test' ? 'test' : 'production';
