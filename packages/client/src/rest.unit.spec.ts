import { describe, expect, it } from 'vitest';
import { apiOriginOf } from './rest';

describe('the REST origin beside a gateway', () => {
  it('is the WebSocket URL’s host over HTTP, or HTTPS for wss', () => {
    expect(apiOriginOf('ws://localhost:8000/ws')).toBe('http://localhost:8000');
    expect(apiOriginOf('wss://chat.example.com/ws')).toBe('https://chat.example.com');
  });
});
