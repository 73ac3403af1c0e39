// Copies public/ to dist/ with a build stamp: a stand-in for a real bundler, without dependencies.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
cpSync('public', 'dist', { recursive: true });
writeFileSync('dist/build.json', JSON.stringify({ built_at: new Date().toISOString() }));
console.log('built dist/');
