/** File names inside one run folder and beside the run folders. */
export const REPORT_FILES = {
  results: 'results.csv',
  metrics: 'metrics.json',
  confusionSvg: 'confusion-matrix.svg',
  confusionPng: 'confusion-matrix.png',
  perClassSvg: 'per-class-accuracy.svg',
  perClassPng: 'per-class-accuracy.png',
  html: 'report.html',
} as const;

/** Trend file in the results folder; one line per finished run. */
export const HISTORY_FILE = 'history.csv';

/** Default results folder of `validate`, relative to the working directory. */
export const DEFAULT_RESULTS_DIR = 'results';

/**
 * Default largest share of clips with status `error` before the gate fails (5%). Clips without a
 * face are not failures: they are a property of the data, not of the tool.
 */
export const DEFAULT_MAX_FAILURE_RATE = 0.05;

/** Column label of the confusion matrix for clips without a prediction. */
export const NO_PREDICTION_LABEL = 'none';

/**
 * Generic font family for every chart; both the SVG viewer and librsvg (sharp) resolve it through
 * fontconfig, so no font file has to ship with the tool.
 */
export const CHART_FONT_FAMILY = 'sans-serif';

/** PNG pixels per SVG pixel; 2 keeps text crisp on high-density screens. */
export const PNG_SCALE = 2;

/** Decimal places of accuracies in the summary line, history.csv and the report. */
export const ACCURACY_DECIMALS = 4;
