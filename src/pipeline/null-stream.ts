import { Writable } from 'node:stream';

/** A stream that drops what is written: for jobs whose rows are not printed (eval, validate). */
export function createNullStream(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
