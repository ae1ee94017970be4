import { resolveMainOptions } from '../config/main-options.js';
import type { MainJobRequest, MainJobResult } from '../eval/report/validate-run.js';
import { runMainJob } from '../pipeline/run-job.js';
import { createNullStream } from '../pipeline/null-stream.js';

/** The main job as `validate` calls it: every clip under the root, rows kept in memory. */
export async function runJobForValidate(request: MainJobRequest): Promise<MainJobResult> {
  const options = resolveMainOptions({ inputs: [request.root], model: request.model });
  return runMainJob(options, { log: request.logger, stdout: createNullStream() });
}
