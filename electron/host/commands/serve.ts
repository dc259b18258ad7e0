import { fileURLToPath } from 'node:url';
import { apiMethods } from '../../core/contract/contract';
import {
  defaultWorkerFile,
  EngineStartError,
  startEngineWorker,
  type EngineClient,
} from '../../core/engine/engine-client';
import { createToken } from '../auth';
import { startHttpHost } from '../http-host';
import { CommandFailed, type Output } from './output';

export interface ServeOptions {
  port: number;
  /** Printed before the URL when `npm start` fell back to the host (no Electron binary). */
  reason?: string;
}

/**
 * `classbridge serve`: the engine in a worker thread, the window's UI and the Api over HTTP on
 * 127.0.0.1. Runs until SIGINT/SIGTERM, then stops the engine cleanly.
 */
export async function serveCommand(dataDir: string, options: ServeOptions, out: Output): Promise<void> {
  let engine;
  try {
    engine = await startEngineWorker(defaultWorkerFile(import.meta.url), { dataDir });
  } catch (err) {
    if (err instanceof EngineStartError) throw new CommandFailed(err.message, { code: err.code });
    throw err;
  }
  const host = await startHttpHost({
    api: engine,
    token: createToken(),
    rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    port: options.port,
  }).catch(async (err: NodeJS.ErrnoException) => {
    await engine.stop();
    throw new CommandFailed(
      err.code === 'EADDRINUSE' ? `Port ${options.port} is already in use; choose another with --port.` : err.message,
    );
  });
  // Said before the URL: on a headless Linux host without a Secret Service the wizard could not store a
  // token, so the admin learns it (and the fix) here rather than from a failed Save.
  const keychain = await keychainCheck(engine);
  const info = { url: host.url, port: host.port, dataDir, keychain };
  // The URL carries the token: it goes to the terminal (like a notebook server), never to the log.
  if (out.json) process.stdout.write(`${JSON.stringify(info)}\n`);
  else {
    if (options.reason) process.stdout.write(`${options.reason}\n`);
    if (!keychain.available) process.stdout.write(`Warning: ${keychain.message ?? 'No OS keychain is available.'}\n`);
    process.stdout.write(`ClassBridge headless host: ${host.url}\n`);
    process.stdout.write(`Data folder: ${dataDir}. Press Ctrl+C to stop.\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await engine.stop();
}

async function keychainCheck(engine: EngineClient): Promise<{ available: boolean; message?: string | undefined }> {
  const response = await engine.call('secrets:keychain', {});
  if (!response.ok) return { available: false, message: response.error.message };
  return apiMethods['secrets:keychain'].output.parse(response.result);
}
