import { join } from 'node:path';

import { writeFileAtomic } from '../../pipeline/write-file-atomic.js';
import { renderConfusionSvg } from './confusion-chart.js';
import { REPORT_FILES } from './constants.js';
import { renderPerClassSvg } from './per-class-chart.js';
import { renderReportHtml, type ReportInput } from './report-html.js';
import { svgToPng } from './svg-to-png.js';

/** What {@link writeRunReport} needs: the report input without charts, plus results.csv text. */
export type RunReportInput = Omit<ReportInput, 'charts'> & {
  /** The run's rows as results.csv text, written as it is. */
  resultsCsv: string;
};

/**
 * Writes the files of one run into its (new, empty) folder: results.csv, metrics.json, the two
 * charts as SVG and PNG, and report.html last. Each file is written atomically. Resolves to the
 * paths written, in order.
 */
export async function writeRunReport(dir: string, input: RunReportInput): Promise<string[]> {
  const { resultsCsv, ...report } = input;

  // render everything before writing anything, so a chart failure leaves the folder empty
  const confusionSvg = await renderConfusionSvg(report.metrics);
  const perClassSvg = await renderPerClassSvg(report.metrics);
  const confusionPng = await svgToPng(confusionSvg);
  const perClassPng = await svgToPng(perClassSvg);
  const html = renderReportHtml({ ...report, charts: { confusionPng, perClassPng } });

  const files: [string, string | Uint8Array][] = [
    [REPORT_FILES.results, resultsCsv],
    [REPORT_FILES.metrics, `${JSON.stringify(report.metrics, null, 2)}\n`],
    [REPORT_FILES.confusionSvg, confusionSvg],
    [REPORT_FILES.confusionPng, confusionPng],
    [REPORT_FILES.perClassSvg, perClassSvg],
    [REPORT_FILES.perClassPng, perClassPng],
    [REPORT_FILES.html, html],
  ];
  const written: string[] = [];
  for (const [name, data] of files) {
    const file = join(dir, name);
    await writeFileAtomic(file, data);
    written.push(file);
  }
  return written;
}
