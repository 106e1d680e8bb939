import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { base64Offsets } from './fields.js';
import { explained, fires } from './sigma.test-helpers.js';
import { formatSigmaString, ONE, parseSigmaString, STAR } from './strings.js';

const r = String.raw;

describe('Sigma strings: wildcards and escaping', () => {
  test('a backslash escapes *, ? and itself; any other backslash is literal', () => {
    // `\*` is an escaped star, so a path ending in a backslash before a wildcard needs `\\*`.
    assert.deepEqual(parseSigmaString(r`C:\Windows\*.exe`), ['C:\\Windows*.exe']);
    assert.deepEqual(parseSigmaString(r`C:\Windows\\*.exe`), ['C:\\Windows\\', STAR, '.exe']);
    assert.deepEqual(parseSigmaString(r`C:\Windows\System32`), ['C:\\Windows\\System32']);
    assert.deepEqual(parseSigmaString(r`a\*b\?c`), ['a*b?c']);
    assert.deepEqual(parseSigmaString(r`a\\*`), ['a\\', STAR]);
    assert.deepEqual(parseSigmaString(r`a\\\*`), [r`a\*`]);
    assert.deepEqual(parseSigmaString(r` \\\\`), [r` \\`]);
    assert.deepEqual(parseSigmaString(r`\\`), ['\\']);
    assert.deepEqual(parseSigmaString('prog?.exe'), ['prog', ONE, '.exe']);
    assert.deepEqual(parseSigmaString('**x'), [STAR, 'x']);
    assert.equal(formatSigmaString(parseSigmaString(r`a\*b*`)), r`a\*b*`);
  });

  test('plain values are whole-value, case-insensitive matches; * and ? are wildcards', () => {
    const d = (v: string) => `selection:\n    Image: '${v}'\ncondition: selection`;
    assert.equal(fires(d(r`C:\Windows\System32\cmd.exe`), { Image: r`c:\windows\system32\CMD.EXE` }), true);
    assert.equal(fires(d(r`C:\Windows\System32\cmd.exe`), { Image: r`C:\Windows\System32\cmd.exe ` }), false);
    assert.equal(fires(d('*\\cmd.exe'), { Image: r`D:\tools\cmd.exe` }), true);
    assert.equal(fires(d('prog?.exe'), { Image: 'progA.exe' }), true);
    assert.equal(fires(d('prog?.exe'), { Image: 'progAB.exe' }), false);
    assert.equal(fires(d('prog?.exe'), { Image: 'prog.exe' }), false);
    assert.equal(fires(d('*'), { Image: 'anything' }), true);
    assert.equal(fires(d('*'), {}), false);
  });

  test('escaped wildcards match the literal characters only', () => {
    const d = `selection:\n    CommandLine: '${r`what\?\*`}'\ncondition: selection`;
    assert.equal(fires(d, { CommandLine: 'what?*' }), true);
    assert.equal(fires(d, { CommandLine: 'whatX*' }), false);
    assert.equal(fires(d, { CommandLine: 'what?xyz' }), false);
    const backslashStar = `selection:\n    CommandLine: '${r`C:\\*`}'\ncondition: selection`;
    assert.equal(fires(backslashStar, { CommandLine: r`C:\temp` }), true);
    assert.equal(fires(backslashStar, { CommandLine: 'C:temp' }), false);
  });

  test('a list of values is an OR; a map is an AND; a list of maps is an OR of ANDs', () => {
    const list = `selection:\n    Image|endswith:\n        - '\\a.exe'\n        - '\\b.exe'\ncondition: selection`;
    assert.equal(fires(list, { Image: r`C:\b.exe` }), true);
    assert.equal(fires(list, { Image: r`C:\c.exe` }), false);
    const map = `selection:\n    Image|endswith: '\\a.exe'\n    CommandLine|contains: 'x'\ncondition: selection`;
    assert.equal(fires(map, { Image: r`C:\a.exe`, CommandLine: 'x' }), true);
    assert.equal(fires(map, { Image: r`C:\a.exe`, CommandLine: 'y' }), false);
    const maps = `selection:\n    - Image|endswith: '\\a.exe'\n    - CommandLine|contains: 'x'\ncondition: selection`;
    assert.equal(fires(maps, { Image: r`C:\z.exe`, CommandLine: 'x' }), true);
    assert.equal(fires(maps, { Image: r`C:\z.exe`, CommandLine: 'y' }), false);
  });

  test('numbers match the number or its text; a hex number also matches as written', () => {
    const d = (v: string) => `selection:\n    EventID: ${v}\ncondition: selection`;
    assert.equal(fires(d('1'), {}), true);
    assert.equal(fires(d("'1'"), {}), true);
    assert.equal(fires(d('4688'), {}), false);
    const hex = `selection:\n    TicketEncryptionType: 0x17\ncondition: selection`;
    assert.equal(fires(hex, { TicketEncryptionType: '0x17' }), true);
    assert.equal(fires(hex, { TicketEncryptionType: 23 }), true);
    assert.equal(fires(hex, { TicketEncryptionType: '0x12' }), false);
    const bool = `selection:\n    Initiated: true\ncondition: selection`;
    assert.equal(fires(bool, { Initiated: 'true' }), true);
    assert.equal(fires(bool, { Initiated: true }), true);
    assert.equal(fires(bool, { Initiated: 'false' }), false);
  });

  test("null matches an absent or null field; '' matches an empty value only", () => {
    const d = `selection:\n    Details: null\ncondition: selection`;
    assert.equal(fires(d, {}), true);
    assert.equal(fires(d, { Details: null }), true);
    assert.equal(fires(d, { Details: '' }), false);
    assert.equal(fires(d, { Details: 'x' }), false);
    const empty = `selection:\n    Details: ''\ncondition: selection`;
    assert.equal(fires(empty, { Details: '' }), true);
    assert.equal(fires(empty, {}), false);
  });
});

describe('Sigma value modifiers', () => {
  const one = (spec: string, value: string) => `selection:\n    ${spec}: ${value}\ncondition: selection`;

  test('contains, startswith, endswith', () => {
    assert.equal(fires(one('CommandLine|contains', "'MiniDump'"), { CommandLine: 'rundll32 comsvcs.dll minidump 624' }), true);
    assert.equal(fires(one('CommandLine|contains', "'MiniDump'"), { CommandLine: 'rundll32 comsvcs.dll' }), false);
    assert.equal(fires(one('CommandLine|startswith', "'rundll32'"), { CommandLine: 'RUNDLL32.EXE x' }), true);
    assert.equal(fires(one('CommandLine|startswith', "'rundll32'"), { CommandLine: '"rundll32.exe"' }), false);
    assert.equal(fires(one('Image|endswith', "'\\lsass.exe'"), { Image: r`C:\Windows\System32\LSASS.EXE` }), true);
    assert.equal(fires(one('Image|endswith', "'\\lsass.exe'"), { Image: r`C:\Windows\System32\lsass.exe.bak` }), false);
    // A wildcard inside a contains value still works.
    assert.equal(fires(one('CommandLine|contains', "'a*c'"), { CommandLine: 'xxabbbcxx' }), true);
  });

  test('all: every value must match', () => {
    const d = `selection:\n    CommandLine|contains|all:\n        - 'comsvcs'\n        - 'full'\ncondition: selection`;
    assert.equal(fires(d, { CommandLine: 'rundll32 comsvcs.dll MiniDump 1 x.dmp full' }), true);
    assert.equal(fires(d, { CommandLine: 'rundll32 comsvcs.dll MiniDump 1 x.dmp' }), false);
  });

  test('cased: case-sensitive', () => {
    assert.equal(fires(one('CommandLine|contains|cased', "'MiniDump'"), { CommandLine: 'x MiniDump y' }), true);
    assert.equal(fires(one('CommandLine|contains|cased', "'MiniDump'"), { CommandLine: 'x minidump y' }), false);
    assert.equal(fires(one('Image|cased', "'A.exe'"), { Image: 'a.exe' }), false);
  });

  test('re: case-sensitive search by default, with the i, m and s sub-modifiers', () => {
    assert.equal(fires(one('CommandLine|re', "'comsvcs\\.dll[, ]+#?24'"), { CommandLine: 'rundll32 comsvcs.dll, #24 1 x full' }), true);
    assert.equal(fires(one('CommandLine|re', "'Comsvcs'"), { CommandLine: 'comsvcs' }), false);
    assert.equal(fires(one('CommandLine|re|i', "'Comsvcs'"), { CommandLine: 'comsvcs' }), true);
    assert.equal(fires(one('CommandLine|re', "'^b$'"), { CommandLine: 'a\nb\nc' }), false);
    assert.equal(fires(one('CommandLine|re|m', "'^b$'"), { CommandLine: 'a\nb\nc' }), true);
    assert.equal(fires(one('CommandLine|re', "'a.b'"), { CommandLine: 'a\nb' }), false);
    assert.equal(fires(one('CommandLine|re|s', "'a.b'"), { CommandLine: 'a\nb' }), true);
    // PCRE spellings: a leading (?i) flag and (?P<name>...) groups.
    assert.equal(fires(one('CommandLine|re', "'(?i)COMSVCS'"), { CommandLine: 'comsvcs' }), true);
    assert.equal(fires(one('CommandLine|re', "'(?P<dll>comsvcs)'"), { CommandLine: 'comsvcs' }), true);
  });

  test('cidr: IPv4 and IPv6 networks, IPv4-mapped addresses', () => {
    const d = `selection:\n    DestinationIp|cidr:\n        - '10.0.0.0/8'\n        - 'fe80::/10'\ncondition: selection`;
    assert.equal(fires(d, { DestinationIp: '10.0.5.13' }), true);
    assert.equal(fires(d, { DestinationIp: '11.0.5.13' }), false);
    assert.equal(fires(d, { DestinationIp: 'fe80::1c2b:3a4d' }), true);
    assert.equal(fires(d, { DestinationIp: 'fec0::1' }), false);
    assert.equal(fires(d, { DestinationIp: '::ffff:10.1.2.3' }), true);
    assert.equal(fires(d, { DestinationIp: 'not an ip' }), false);
    assert.equal(fires(one('DestinationIp|cidr', "'192.168.1.0/25'"), { DestinationIp: '192.168.1.127' }), true);
    assert.equal(fires(one('DestinationIp|cidr', "'192.168.1.0/25'"), { DestinationIp: '192.168.1.128' }), false);
  });

  test('base64 and base64offset', () => {
    // base64('Invoke-') = 'SW52b2tlLQ=='
    assert.equal(fires(one('CommandLine|base64', "'Invoke-'"), { CommandLine: 'SW52b2tlLQ==' }), true);
    assert.equal(fires(one('CommandLine|base64|contains', "'Invoke-'"), { CommandLine: 'x SW52b2tlLQ== y' }), true);
    // The three offsets of "Invoke-", as pySigma (and SigmaHQ rules) write them.
    assert.deepEqual(base64Offsets(Buffer.from('Invoke-')), ['SW52b2tlL', 'ludm9rZS', 'JbnZva2Ut']);
    const encoded = (prefix: string) => Buffer.from(`${prefix}Invoke-Expression`).toString('base64');
    const d = one('CommandLine|base64offset|contains', "'Invoke-'");
    for (const prefix of ['', 'a', 'ab', 'abc']) assert.equal(fires(d, { CommandLine: `powershell -e ${encoded(prefix)}` }), true, prefix);
    assert.equal(fires(d, { CommandLine: `powershell -e ${Buffer.from('Get-Item').toString('base64')}` }), false);
  });

  test('wide/utf16le, utf16be, utf16 (with BOM) before base64', () => {
    const ps = (text: string, enc: 'utf16le' | 'utf16be' | 'bom') => {
      const le = Buffer.from(text, 'utf16le');
      const bytes = enc === 'utf16le' ? le : enc === 'utf16be' ? Buffer.from(le).swap16() : Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
      return { CommandLine: `powershell -enc ${bytes.toString('base64')}` };
    };
    const wide = one('CommandLine|wide|base64offset|contains', "'Invoke-'");
    for (const prefix of ['', 'a', 'ab']) assert.equal(fires(wide, ps(`${prefix}Invoke-Mimikatz`, 'utf16le')), true);
    assert.equal(fires(wide, ps('Get-Mimikatz', 'utf16le')), false);
    // UTF-8 base64 of the same text is not the UTF-16 one.
    assert.equal(fires(wide, { CommandLine: Buffer.from('xInvoke-Mimikatz').toString('base64') }), false);
    assert.equal(fires(one('CommandLine|utf16le|base64offset|contains', "'Invoke-'"), ps('xInvoke-Mimikatz', 'utf16le')), true);
    assert.equal(fires(one('CommandLine|utf16be|base64offset|contains', "'Invoke-'"), ps('xInvoke-Mimikatz', 'utf16be')), true);
    // utf16 prepends the byte-order mark, so it matches text that starts the encoded string.
    assert.equal(fires(one('CommandLine|utf16|base64|contains', "'cmd'"), ps('cmd', 'bom')), true);
    assert.equal(fires(one('CommandLine|utf16|base64|contains', "'cmd'"), ps('cmd', 'utf16le')), false);
  });

  test('windash: -, /, en dash, em dash and horizontal bar are interchangeable before a flag', () => {
    const d = one('CommandLine|contains|windash', "' -decode '");
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) assert.equal(fires(d, { CommandLine: `certutil ${dash}decode a b` }), true, dash);
    assert.equal(fires(d, { CommandLine: 'certutil +decode a b' }), false);
    // Only a dash that starts a word is a flag: the one in "file-decoded" is left alone.
    assert.equal(fires(one('CommandLine|contains|windash', "'file-decoded'"), { CommandLine: 'x file/decoded' }), false);
    // Two flags: every combination.
    const two = one('CommandLine|contains|windash', "'-a -b'");
    assert.equal(fires(two, { CommandLine: 'x /a \u2014b' }), true);
  });

  test('exists: the field is present (even empty) or absent', () => {
    assert.equal(fires(one('ParentImage|exists', 'true'), { ParentImage: '' }), true);
    assert.equal(fires(one('ParentImage|exists', 'true'), {}), false);
    assert.equal(fires(one('ParentImage|exists', 'false'), {}), true);
    assert.equal(fires(one('ParentImage|exists', 'false'), { ParentImage: 'x' }), false);
  });

  test('lt, lte, gt, gte on numbers and numeric text', () => {
    assert.equal(fires(one('TerminalSessionId|lt', '2'), { TerminalSessionId: 1 }), true);
    assert.equal(fires(one('TerminalSessionId|lt', '2'), { TerminalSessionId: 2 }), false);
    assert.equal(fires(one('TerminalSessionId|lte', '2'), { TerminalSessionId: '2' }), true);
    assert.equal(fires(one('TerminalSessionId|gt', '2'), { TerminalSessionId: '3' }), true);
    assert.equal(fires(one('TerminalSessionId|gt', '2'), { TerminalSessionId: 2 }), false);
    assert.equal(fires(one('TerminalSessionId|gte', '2'), { TerminalSessionId: 2 }), true);
    assert.equal(fires(one('TerminalSessionId|gte', '2'), { TerminalSessionId: 'two' }), false);
    assert.equal(fires(one('TerminalSessionId|gte', '2'), {}), false);
  });

  test('neq: the field differs from every value (an absent field differs)', () => {
    assert.equal(fires(one('IntegrityLevel|neq', "'System'"), { IntegrityLevel: 'High' }), true);
    assert.equal(fires(one('IntegrityLevel|neq', "'System'"), { IntegrityLevel: 'system' }), false);
    assert.equal(fires(one('IntegrityLevel|neq', "'System'"), {}), true);
  });

  test('fieldref: compares two fields of the same record', () => {
    assert.equal(fires(one('ParentImage|fieldref', "'Image'"), { Image: r`C:\a.exe`, ParentImage: r`c:\A.EXE` }), true);
    assert.equal(fires(one('ParentImage|fieldref', "'Image'"), { Image: r`C:\a.exe`, ParentImage: r`C:\b.exe` }), false);
    assert.equal(fires(one('ParentImage|fieldref', "'Image'"), { Image: r`C:\a.exe` }), false);
    assert.equal(fires(one('CommandLine|fieldref|contains', "'Image'"), { Image: 'a.exe', CommandLine: '"a.exe" -x' }), true);
    assert.equal(fires(one('CommandLine|fieldref|startswith', "'Image'"), { Image: 'a.exe', CommandLine: '"a.exe" -x' }), false);
    assert.equal(fires(one('ParentImage|fieldref|neq', "'Image'"), { Image: 'a', ParentImage: 'b' }), true);
  });

  test('time modifiers read one UTC part of a date', () => {
    assert.equal(fires(one('UtcTime|hour', '16'), { UtcTime: '2023-08-18 16:00:03.919' }), true);
    assert.equal(fires(one('UtcTime|hour', '15'), { UtcTime: '2023-08-18 16:00:03.919' }), false);
    assert.equal(fires(one('UtcTime|minute', '0'), { UtcTime: '2023-08-18 16:00:03.919' }), true);
    assert.equal(fires(one('UtcTime|day', '18'), { UtcTime: '2023-08-18T16:00:03Z' }), true);
    assert.equal(fires(one('UtcTime|month', '8'), { UtcTime: '2023-08-18T16:00:03Z' }), true);
    assert.equal(fires(one('UtcTime|year', '2023'), { UtcTime: '2023-08-18T16:00:03Z' }), true);
    assert.equal(fires(one('UtcTime|week', '33'), { UtcTime: '2023-08-18T16:00:03Z' }), true);
  });

  test('keywords search every value of the record; |all keywords must all appear', () => {
    const d = `keywords:\n    - 'mimikatz'\n    - 'event::clear'\ncondition: keywords`;
    assert.equal(fires(d, { CommandLine: 'x EVENT::CLEAR y' }), true);
    assert.equal(fires(d, { Nested: { deep: ['a', 'Invoke-Mimikatz'] } }), true);
    assert.equal(fires(d, { CommandLine: 'nothing here' }), false);
    const all = `keywords:\n    '|all':\n        - 'OabVirtualDirectory'\n        - ' -ExternalUrl '\ncondition: keywords`;
    assert.equal(fires(all, { ScriptBlockText: 'Set-OabVirtualDirectory -ExternalUrl http://x' }), true);
    assert.equal(fires(all, { ScriptBlockText: 'Set-OabVirtualDirectory' }), false);
  });
});

describe('explanations: which fields matched, where, and which rule values they met', () => {
  test('only the selections that made the condition true, never those under a not', () => {
    const detection = r`
selection_img:
    - Image|endswith: '\rundll32.exe'
    - OriginalFileName: 'RUNDLL32.EXE'
selection_cli:
    CommandLine|contains|all:
        - 'comsvcs'
        - 'full'
filter:
    User|contains: 'AUTHORI'
condition: selection_img and selection_cli and not filter`;
    const data = { Image: r`C:\Windows\System32\rundll32.exe`, CommandLine: 'rundll32 comsvcs.dll MiniDump 1 x full', User: r`PANDALAB\pupy` };
    assert.deepEqual(explained(detection, data), [
      { selection: 'selection_img', field: 'Image', modifiers: ['endswith'], paths: ['Image'], value: data.Image, patterns: [r`\rundll32.exe`] },
      { selection: 'selection_cli', field: 'CommandLine', modifiers: ['contains', 'all'], paths: ['CommandLine'], value: data.CommandLine, patterns: ['comsvcs', 'full'] },
    ]);
    assert.equal(explained(detection, { ...data, User: r`NT AUTHORITY\SYSTEM` }), null);
  });

  test('keywords say where in the record they were found', () => {
    assert.deepEqual(explained(`keywords:\n    - 'mimikatz'\ncondition: keywords`, { Nested: { deep: ['a', 'Invoke-Mimikatz'] } }), [
      { selection: 'keywords', field: '', modifiers: [], paths: ['Nested.deep[1]'], value: 'Invoke-Mimikatz', patterns: ['mimikatz'] },
    ]);
  });
});
