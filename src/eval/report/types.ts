/**
 * Shapes the report layer reads. They mirror the results rows of `src/pipeline/rows.ts` and the
 * metrics JSON of the main job structurally, so the pipeline's own types can be passed in as they
 * are; the report only relies on the fields listed here.
 */

/** Status of one clip as the pipeline writes it: `ok`, `no_face` or `error`. */
export type ReportRowStatus = 'ok' | 'no_face' | 'error' | (string & {});

/** One results row: a clip and what the model said about it. */
export interface ReportRow {
  /** Clip path as written in results.csv; the key used to match clips across runs. */
  readonly clip: string;
  /** Predicted class name; null (or 'none') when there was no prediction. */
  readonly label: string | null;
  /** Score of the predicted class, 0..1; null without a prediction. */
  readonly confidence?: number | null;
  /** Seven class scores in CLASSES order; null without a prediction. */
  readonly scores?: readonly number[] | null;
  /** Frames sampled from the clip. */
  readonly frames?: number;
  /** Frames in which a face was found. */
  readonly faces?: number;
  /** What happened to the clip. */
  readonly status: ReportRowStatus;
  /** Why the clip failed; null or empty when it did not. */
  readonly error?: string | null;
  /** Ground-truth class from the folder name; null when unknown (e.g. Contempt). */
  readonly truth?: string | null;
  /** Whether label equals truth; null when truth is unknown. */
  readonly correct?: boolean | null;
}

/** Per-class tally inside {@link ReportMetrics}. */
export interface ClassTally {
  /** Labelled clips of this class. */
  readonly n: number;
  /** Of those, how many were predicted right. */
  readonly correct: number;
  /** correct / n; null (or NaN) when n is 0. */
  readonly accuracy: number | null;
}

/** The metrics JSON of one run (metrics.json). */
export interface ReportMetrics {
  /** Share of labelled clips predicted right, 0..1; null when no clip is labelled. */
  readonly accuracy: number | null;
  /** The same over labelled clips in which a face was found. */
  readonly accuracyOnFaces: number | null;
  /** Mean over classes with n > 0 of the per-class accuracy. */
  readonly meanClassAccuracy: number | null;
  /** The seven class names in matrix order. */
  readonly classes: readonly string[];
  /** Tally per class name. */
  readonly perClass: Readonly<Record<string, ClassTally>>;
  /** 7 rows (truth) x 8 columns (7 predicted classes, then 'none'). */
  readonly confusion: readonly (readonly number[])[];
  /** Clip counts by kind. */
  readonly counts: {
    readonly clips: number;
    readonly labelled: number;
    readonly ok: number;
    readonly no_face: number;
    readonly error: number;
  };
  /** The model that produced the rows. */
  readonly model: { readonly name: string; readonly sha256: string; readonly backend: string };
  /** The tool that produced the rows. */
  readonly tool: { readonly version: string };
}
