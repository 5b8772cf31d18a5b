#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled with the app by `npm run build` into out/main/cli.js.
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('tradeport: the CLI is not built yet (missing out/main/cli.js). Run `npm run build` in ' + path.join(__dirname, '..') + ' first.\n');
  process.exit(1);
}
require(cli);
