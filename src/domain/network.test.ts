import { describe, expect, it } from 'vitest';
import { isPublicAddress, webhookUrlProblem } from './network.ts';

describe('webhook addresses', () => {
  it('accepts public addresses and refuses loopback, private, link-local and reserved ones', () => {
    for (const ip of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111']) expect(isPublicAddress(ip), ip).toBe(true);
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      '64:ff9b::127.0.0.1',
      'not an address',
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('wants http or https without credentials', () => {
    expect(webhookUrlProblem('https://hooks.example/x')).toBeNull();
    expect(webhookUrlProblem('ftp://hooks.example/x')).toContain('http');
    expect(webhookUrlProblem('https://a:b@hooks.example/x')).toContain('password');
    expect(webhookUrlProblem('hooks.example')).toContain('not a URL');
  });
});
