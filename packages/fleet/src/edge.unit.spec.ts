import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EDGE_CONFIG, renderEdgeConfig, type EdgeLayout } from './edge';
import { FLEET_SERVICES, GATEWAY } from './topology';

const source = readFileSync(EDGE_CONFIG, 'utf8');

const layout: EdgeLayout = {
  listen: '127.0.0.1:18000',
  tempDir: '/run/fleet/edge/temp',
  pageRoot: '/repo/packages/web/dist',
  upstreams: {
    [GATEWAY.name]: ['127.0.0.1:20001', '127.0.0.1:20002'],
    ...Object.fromEntries(FLEET_SERVICES.map(({ name }, index) => [name, [`127.0.0.1:${21000 + index}`]])),
  },
};

const blockOf = (config: string, header: string) => {
  const start = config.indexOf(header);
  return config.slice(start, config.indexOf('}', start));
};

describe('the edge rendered for loopback from infra/edge/nginx.conf', () => {
  const rendered = renderEdgeConfig(source, layout);

  it('keeps every route of nginx.conf as it is', () => {
    const routes = source
      .split('\n')
      .filter((line) => /^\s*(location|proxy_pass|proxy_set_header)\b/.test(line));
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) expect(rendered).toContain(route);
  });

  it('serves a route added to nginx.conf later, with no change here', () => {
    const added = source.replace(
      '    location / {',
      '    location /api-docs/ {\n      proxy_pass http://message_service;\n    }\n\n    location / {',
    );
    expect(renderEdgeConfig(added, layout)).toContain(
      'location /api-docs/ {\n      proxy_pass http://message_service;',
    );
  });

  it('points each upstream at the processes of its compose host, every gateway in the gateways', () => {
    expect(blockOf(rendered, 'upstream gateways {')).toMatch(
      /server 127\.0\.0\.1:20001;\n\s*server 127\.0\.0\.1:20002;/,
    );
    expect(blockOf(rendered, 'upstream message_service {')).toContain(
      `server ${layout.upstreams.message![0]};`,
    );
    expect(rendered).not.toMatch(/\bresolve(r)?\b/);
    expect(rendered).not.toContain("Docker's DNS");
  });

  it('listens on the given loopback address and keeps nginx files in the fleet folder', () => {
    expect(rendered).toMatch(/^\s*listen 127\.0\.0\.1:18000;$/m);
    expect(rendered).not.toMatch(/^\s*listen 8000;$/m);
    expect(rendered).toContain('proxy_temp_path /run/fleet/edge/temp/proxy;');
    expect(rendered).toContain('client_body_temp_path /run/fleet/edge/temp/client_body;');
  });

  it('serves the chat page from its build, where compose mounts it', () => {
    expect(source).toContain('root /srv/chat-web;');
    expect(rendered).not.toContain('root /srv/chat-web;');
    expect(blockOf(rendered, 'location = / {')).toContain('root /repo/packages/web/dist;');
    expect(blockOf(rendered, 'location /assets/ {')).toContain('root /repo/packages/web/dist;');
  });

  it('refuses a route to a host the fleet does not run', () => {
    const withWeb = source.replace(
      'upstream gateways {',
      'upstream web {\n    server web:3000 resolve;\n  }\n\n  upstream gateways {',
    );
    expect(() => renderEdgeConfig(withWeb, layout)).toThrow('routes to "web", which the fleet does not run');
  });
});
