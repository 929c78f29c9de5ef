// Per test file of the "concurrency" project: its databases are created on the server the
// global setup found (createTestDatabase reads TEST_DATABASE_URL). Jest gives every test file its
// own copy of process.env, so this does not leak into the PGlite project.
if (process.env.CONCURRENCY_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.CONCURRENCY_DATABASE_URL;
