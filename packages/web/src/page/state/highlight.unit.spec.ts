import { describe, expect, it } from 'vitest';
import { highlightSegments } from './highlight';

describe("a search hit's highlight", () => {
  it('becomes text and matches, with the escaped characters as they were typed', () => {
    expect(highlightSegments('say <mark>hello</mark> &lt;b&gt; &amp; <mark>Hello</mark>')).toEqual([
      { text: 'say ', match: false },
      { text: 'hello', match: true },
      { text: ' <b> & ', match: false },
      { text: 'Hello', match: true },
    ]);
  });

  it('never yields markup: a script in the content stays text', () => {
    const segments = highlightSegments('&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>');
    expect(segments[0]).toEqual({ text: '<script>alert(1)</script> ', match: false });
  });
});
