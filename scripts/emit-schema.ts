// Writes the SDL of the API to schema.graphql (checked in; a test fails when it is stale).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { schemaSDL } from '../src/graphql/schema';

schemaSDL().then(
  (sdl) => {
    writeFileSync(resolve(__dirname, '../schema.graphql'), sdl);
    console.log('schema.graphql written');
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
