// `npm start`: the desktop app where Electron's binary is installed, otherwise the headless host.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function electronBinary() {
  const dir = join(process.cwd(), 'node_modules', 'electron');
  try {
    const relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const binary = join(dir, 'dist', relative);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const passthrough = process.argv.slice(2).filter((a) => a !== '--dev');
const binary = electronBinary();
const child = binary
  ? spawn(binary, ['.', ...passthrough], { stdio: 'inherit' })
  : spawn(
      process.execPath,
      [
        'bin/classbridge.mjs',
        ...passthrough,
        'serve',
        '--reason',
        'No Electron binary is installed on this machine, so ClassBridge runs as the headless host; open this address in a browser:',
      ],
      { stdio: 'inherit' },
    );
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
