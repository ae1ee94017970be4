import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { renderMarkdownLite } from '../../../src/eval/report/markdown-lite.js';

describe('renderMarkdownLite', () => {
  it('renders headings one level below the report sections, and paragraphs', () => {
    assert.equal(renderMarkdownLite('# Model\n\nTrained on\nFER2013.\n'),
      '<h3>Model</h3>\n<p>Trained on\nFER2013.</p>');
  });

  it('renders bullet and numbered lists, joining indented continuation lines', () => {
    assert.equal(renderMarkdownLite('- one\n  more\n- two\n\n1. first\n2. second'),
      '<ul><li>one more</li><li>two</li></ul>\n<ol><li>first</li><li>second</li></ol>');
  });

  it('keeps fenced code and tables as escaped preformatted text', () => {
    assert.equal(renderMarkdownLite('```\na < b\n```\n| x | y |\n|---|---|'),
      '<pre><code>a &lt; b</code></pre>\n<pre><code>| x | y |\n|---|---|</code></pre>');
  });

  it('renders inline code and bold, and turns links into text with the address', () => {
    assert.equal(renderMarkdownLite('**acc** `0.62` [paper](https://arxiv.org/x)'),
      '<p><strong>acc</strong> <code>0.62</code> paper (https://arxiv.org/x)</p>');
  });

  it('escapes raw HTML so a model card cannot inject markup or scripts', () => {
    const html = renderMarkdownLite('<script>alert(1)</script> <img src=x onerror=y>');
    assert.equal(html, '<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=y&gt;</p>');
  });

  it('does not treat a bold marker inside inline code as bold', () => {
    assert.equal(renderMarkdownLite('`**x**`'), '<p><code>**x**</code></p>');
  });
});
