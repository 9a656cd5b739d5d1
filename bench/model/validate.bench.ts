/**
 * Validation throughput on a realistic NetworkPolicy with 10 rules (target: at least 50,000
 * validations per second on one core). Run with `npm run bench`.
 */
import { bench, describe } from 'vitest';
import { applyDefaults } from '../../src/model/defaults.js';
import { validateSchema } from '../../src/model/schema-validator.js';
import { serializeResource } from '../../src/model/serialize.js';
import type { NetworkPolicy, Rule } from '../../src/model/types.generated.js';
import { validate } from '../../src/model/validate.js';

function rule(i: number): Rule {
  const kinds: Rule[] = [
    { action: 'Allow', protocol: 'TCP', source: { selector: `app == "frontend-${i}"` }, destination: { ports: [8080, '9000:9100', 'http'] } },
    { action: 'Allow', protocol: 'UDP', source: { nets: ['10.0.0.0/8', '192.168.0.0/16'] }, destination: { ports: [53] } },
    { action: 'Deny', source: { namespaceSelector: 'team == "blue"', selector: 'has(quarantine)' } },
    { action: 'Allow', protocol: 'ICMP', icmp: { type: 8 }, source: { nets: [`172.16.${i}.0/24`] } },
    { action: 'Pass', destination: { notNets: ['10.1.0.0/16'] }, metadata: { annotations: { 'example.com/owner': 'net-team' } } },
  ];
  return kinds[i % kinds.length]!;
}

const policy: NetworkPolicy = applyDefaults({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'shop.allow-web', namespace: 'shop', labels: { app: 'shop', 'example.com/team': 'web' } },
  spec: {
    order: 100,
    selector: 'app == "cart" && env in {"prod", "staging"}',
    ingress: Array.from({ length: 10 }, (_, i) => rule(i)),
  },
});

if (!validate(policy).valid) throw new Error(`benchmark document is invalid: ${JSON.stringify(validate(policy).errors)}`);

describe('NetworkPolicy with 10 rules', () => {
  bench('validate()', () => {
    validate(policy);
  });
  bench('schema only', () => {
    validateSchema('NetworkPolicy', policy);
  });
  bench('applyDefaults() + validate()', () => {
    validate(applyDefaults(policy));
  });
  bench('serializeResource()', () => {
    serializeResource(policy);
  });
});
