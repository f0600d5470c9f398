import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../application/search-index';
import { renderHighlight, withoutMarkers } from './highlight';

const marked = (word: string) => `${HIGHLIGHT_START}${word}${HIGHLIGHT_END}`;

describe('highlights', () => {
  it('wrap every match in <mark>', () => {
    expect(renderHighlight(`the ${marked('kafka')} and ${marked('Kafka')} logs`)).toBe(
      'the <mark>kafka</mark> and <mark>Kafka</mark> logs',
    );
  });

  it('escape the content, so a client may insert them as HTML', () => {
    expect(renderHighlight(`<img src=x onerror="alert('${marked('x')}')"> & co`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;<mark>x</mark>&#39;)&quot;&gt; &amp; co',
    );
  });

  it('cannot be faked by content that carries the markers itself', () => {
    expect(renderHighlight(withoutMarkers(`${HIGHLIGHT_START}fake${HIGHLIGHT_END}`))).toBe(
      '\uFFFDfake\uFFFD',
    );
  });
});
