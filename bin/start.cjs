#!/usr/bin/env node
'use strict';
// `npm start`: the desktop app. Where Electron cannot start, say what failed and point to browser
// mode, instead of a stack trace.
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { electronProblem, crashAdvice } = require('./start-check.cjs');

const root = path.join(__dirname, '..');
const problem = electronProblem({ root, platform: process.platform, env: process.env, exists: (p) => fs.existsSync(p), read: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '') });
if (problem) {
  process.stderr.write(`tradeport: cannot start the desktop app.\n${problem}\n`);
  process.exit(1);
}
const bin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
const child = spawn(bin, ['preview', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
child.on('error', (e) => {
  process.stderr.write(`tradeport: could not run electron-vite (${e.message}).\n${crashAdvice('?')}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (code && code !== 0) process.stderr.write(`\ntradeport: ${crashAdvice(code)}\n`);
  process.exit(code ?? (signal ? 1 : 0));
});
