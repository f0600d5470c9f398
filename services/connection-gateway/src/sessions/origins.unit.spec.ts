import { describe, expect, it } from 'vitest';
import { allowedOriginsOf, originAllowed } from './origins';

describe('which pages may open a WebSocket', () => {
  const fleet = {
    allowed: allowedOriginsOf('https://app.example.com/, https://Admin.example.com'),
    allowLocalhost: false,
  };

  it('lets clients without an Origin through: they are not browser pages', () => {
    expect(originAllowed(fleet, '', 'chat.example.com')).toBe(true);
  });

  it("lets the gateway's own origin and the allowed ones through, and no other", () => {
    expect(originAllowed(fleet, 'https://chat.example.com', 'chat.example.com')).toBe(true);
    expect(originAllowed(fleet, 'https://app.example.com', 'chat.example.com')).toBe(true);
    expect(originAllowed(fleet, 'https://admin.example.com', 'chat.example.com')).toBe(true);
    expect(originAllowed(fleet, 'https://evil.example', 'chat.example.com')).toBe(false);
    expect(originAllowed(fleet, 'http://localhost:5173', 'chat.example.com')).toBe(false);
    expect(originAllowed(fleet, 'null', 'chat.example.com')).toBe(false);
  });

  it('lets pages on localhost through where told to (the embedded run)', () => {
    const embedded = { allowed: [], allowLocalhost: true };
    expect(originAllowed(embedded, 'http://localhost:5173', '127.0.0.1:8000')).toBe(true);
    expect(originAllowed(embedded, 'http://[::1]:3000', '127.0.0.1:8000')).toBe(true);
    expect(originAllowed(embedded, 'https://evil.example', '127.0.0.1:8000')).toBe(false);
  });

  it('lets any page through with *', () => {
    expect(originAllowed({ allowed: ['*'], allowLocalhost: false }, 'https://evil.example', 'x')).toBe(true);
  });
});
