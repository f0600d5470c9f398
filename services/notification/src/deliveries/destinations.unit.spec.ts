import { describe, expect, it } from 'vitest';
import { destinationPolicy, isPublicAddress } from './destinations';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '100.100.100.200',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    'fd00:ec2::254',
    'fe80::1',
    'ff02::1',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111'])('accepts %s', (address) =>
    expect(isPublicAddress(address)).toBe(true),
  );
});

describe('destinationPolicy', () => {
  const publicOnly = destinationPolicy('');

  it.each([
    'http://127.0.0.1:6379/',
    'http://2130706433:6379/',
    'http://0x7f.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fe80::1]/',
    'http://localhost:8080/',
  ])('refuses %s, after resolving its host', async (url) => {
    expect(await publicOnly.refusalOf(url)).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('not a public address'),
    });
  });

  it('refuses what is not an http(s) URL', async () => {
    expect(await publicOnly.refusalOf('ftp://93.184.215.14/')).toMatchObject({ code: 'invalid_request' });
    expect(await publicOnly.refusalOf('not a url')).toMatchObject({ code: 'invalid_request' });
  });

  it('accepts a public address', async () => {
    expect(await publicOnly.refusalOf('https://93.184.215.14/hook')).toBeNull();
    expect(await publicOnly.refusalOf('https://[2606:4700:4700::1111]/hook')).toBeNull();
  });

  it('accepts what the operator allows: addresses, ranges and host names', async () => {
    const policy = destinationPolicy(' 127.0.0.1, 10.1.0.0/16 , push.internal,fd00::/8');
    expect(await policy.refusalOf('http://127.0.0.1:9000/')).toBeNull();
    expect(await policy.refusalOf('http://10.1.200.3/')).toBeNull();
    expect(await policy.refusalOf('http://[fd12::1]/')).toBeNull();
    expect(await policy.refusalOf('http://10.2.0.1/')).not.toBeNull();
    expect(await policy.refusalOf('http://127.0.0.2/')).not.toBeNull();
    expect(policy.permits('PUSH.internal', '10.9.9.9')).toBe(true);
    expect(policy.permits('other.internal', '10.9.9.9')).toBe(false);
  });

  it('checks every address a lookup resolves at connection time', async () => {
    const lookup = (policy: ReturnType<typeof destinationPolicy>) =>
      new Promise<unknown>((resolve) =>
        policy.lookup('localhost', { family: 4 }, (error, address) => resolve(error ?? address)),
      );
    expect(await lookup(publicOnly)).toMatchObject({ name: 'DestinationRefusedError' });
    expect(await lookup(destinationPolicy('127.0.0.1'))).toBe('127.0.0.1');
  });
});
