import { describe, expect, it } from 'vitest';
import { OutputFormatError, parseOutputFormat } from '../../../src/cli/output/output-format.js';

function errorOf(text: string): OutputFormatError {
  try {
    parseOutputFormat(text);
  } catch (e) {
    if (e instanceof OutputFormatError) return e;
    throw e;
  }
  throw new Error(`no error for ${text}`);
}

describe('parseOutputFormat', () => {
  it('reads the named formats, yml as yaml', () => {
    expect(parseOutputFormat('ps')).toEqual({ type: 'ps' });
    expect(parseOutputFormat('wide')).toEqual({ type: 'wide' });
    expect(parseOutputFormat('yaml')).toEqual({ type: 'yaml' });
    expect(parseOutputFormat('yml')).toEqual({ type: 'yaml' });
    expect(parseOutputFormat('json')).toEqual({ type: 'json' });
  });

  it('reads custom columns as typed', () => {
    expect(parseOutputFormat('custom-columns=NAME,CIDR')).toEqual({ type: 'custom', columns: ['NAME', 'CIDR'] });
    expect(parseOutputFormat('custom-columns=ASN')).toEqual({ type: 'custom', columns: ['ASN'] });
  });

  it('rejects custom-columns= with no column', () => {
    expect(errorOf('custom-columns=').message).toBe('need to specify at least one column');
    expect(errorOf('custom-columns=,').message).toBe('need to specify at least one column');
  });

  it('rejects go templates with the library message', () => {
    expect(errorOf('go-template={{.}}').message).toBe('output format go-template is not supported');
    expect(errorOf('go-template-file=/tmp/t').message).toBe('output format go-template is not supported');
  });

  it('rejects anything else quoting the value', () => {
    expect(errorOf('xml').message).toBe("unrecognized output format 'xml'");
    expect(errorOf('YAML').message).toBe("unrecognized output format 'YAML'");
    expect(errorOf('').message).toBe("unrecognized output format ''");
    expect(errorOf('custom-columns').message).toBe("unrecognized output format 'custom-columns'");
    expect(errorOf('xml')).toBeInstanceOf(Error);
    expect(errorOf('xml').name).toBe('OutputFormatError');
  });
});
