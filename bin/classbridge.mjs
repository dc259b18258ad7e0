#!/usr/bin/env node
// Entry for the `classbridge` command. Checks the runtime before loading anything native:
// better-sqlite3 13 needs Node >= 22 and crashes on older versions instead of failing politely.
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `classbridge: needs Node 24 (this is ${process.version}). Run it through npm (\`npm run serve\`), ` +
      'or with node_modules/.bin/node, which npm installs.\n',
  );
  process.exit(1);
}
const cli = new URL('../out/host/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('classbridge: not built yet. Run `npm run build` first.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
await main();
