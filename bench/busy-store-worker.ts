// A worker that replaces a 100,000-enrolment snapshot, standing in for a heavy engine task.
import { workerData } from 'node:worker_threads';
import { openStore } from '../electron/core/store/store';
import { makeSnapshot } from '../electron/test-support/synthetic-snapshot';

const store = openStore({ file: (workerData as { file: string }).file });
store.snapshot.replace(makeSnapshot(12_500, 800, 8), 'bench');
store.close();
