import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/classbridge.mjs', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `classbridge` command as a user would, with Node 24 (this process's Node). */
export function runCli(args: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.stdin ?? '',
    encoding: 'utf8',
    env: options.env ?? process.env,
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same, without blocking this process: needed when the command talks to a server running in the
 * test process itself (the Moodle simulator), which spawnSync would freeze.
 */
export function runCliAsync(args: readonly string[], options: { stdin?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

export interface ServingHost {
  url: string;
  origin: string;
  token: string;
  stop(): Promise<number | null>;
}

/** Starts `classbridge serve --port 0` and resolves with the URL it prints. */
export function serve(dataDir: string): Promise<ServingHost> {
  return serveReading(dataDir).then((r) => r.host);
}

/** `serve`, in the environment given, with the lines it printed before the URL. */
export function serveReading(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ host: ServingHost; before: string[] }> {
  return startAndReadUrl([BIN, '--data-dir', dataDir, 'serve', '--port', '0'], env);
}

/**
 * Runs a Node script that ends up serving, collects what it prints, and resolves once it prints
 * the host URL: the lines before it come back as `before`.
 */
export function startAndReadUrl(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ host: ServingHost; before: string[] }> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const before: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 20 s. stderr: ${stderr}`)), 20_000);
    void exited.then((code) => reject(new Error(`serve exited (${code}) before printing a URL: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(line);
      if (!match?.[1] || !match[2]) {
        before.push(line);
        return;
      }
      clearTimeout(timer);
      const host = {
        url: match[0],
        origin: match[1],
        token: match[2],
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      };
      resolve({ host, before: [...before] });
    });
  });
}
