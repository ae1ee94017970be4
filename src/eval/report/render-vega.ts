import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

import { MreError } from '../../errors.js';

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string in Node, headless: the View runs
 * without a renderer and without a canvas, so text widths are estimated by Vega.
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  let view: vega.View | undefined;
  try {
    const compiled = compile(spec).spec;
    view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    return await view.toSVG();
  } catch (err) {
    throw new MreError('INTERNAL', 'could not render a chart with Vega', { cause: err });
  } finally {
    view?.finalize();
  }
}
