/**
 * The Moodle simulator in its own process, for benchmarks that compare clients: in the benchmark's own
 * process the simulator's CPU work (parsing, copy-on-write state) would share one event loop with the
 * client under test and slow it in a way a real, separate Moodle never does. Started with the simulator
 * options as JSON in argv[2]; prints {url, token} as one line; answers "counts" with the request
 * counts per function as one JSON line; exits on "close" or when stdin ends.
 */
import { createInterface } from 'node:readline';
import { startMoodleSim, SIMULATED_FUNCTIONS, type MoodleSimOptions } from '../adapters/testing/moodle-sim';

const options = JSON.parse(process.argv[2] ?? '{}') as MoodleSimOptions;
const sim = await startMoodleSim(options);
process.stdout.write(`${JSON.stringify({ url: sim.url, token: sim.token })}\n`);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === 'counts') {
    const counts: Record<string, number> = { total: sim.requestCount() };
    for (const fn of SIMULATED_FUNCTIONS) if (sim.requestCount(fn) > 0) counts[fn] = sim.requestCount(fn);
    process.stdout.write(`${JSON.stringify(counts)}\n`);
  } else if (line === 'close') break;
}
await sim.close();
process.exit(0);
