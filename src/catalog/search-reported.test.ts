import { describe, expect, it } from 'vitest';
import { nodeRef } from './search-reported.js';

describe('nodeRef', () => {
  const federation = {
    nodeId: 'cn-100000',
    nodes: new Map([
      ['cn-100000', { name: '国家节点', regionCode: '100000' }],
      ['zj-330000', { name: '浙江省节点', regionCode: '330000' }],
    ]),
  };

  it("tells this node's own entries from those another node reported (the portal links them apart)", () => {
    expect(nodeRef(federation, 'cn-100000')).toEqual({
      nodeId: 'cn-100000',
      name: '国家节点',
      regionCode: '100000',
      local: true,
    });
    expect(nodeRef(federation, 'zj-330000')).toEqual({
      nodeId: 'zj-330000',
      name: '浙江省节点',
      regionCode: '330000',
      local: false,
    });
  });

  it('names a node the configuration no longer lists by its id', () => {
    expect(nodeRef(federation, 'hz-330100')).toEqual({
      nodeId: 'hz-330100',
      name: 'hz-330100',
      regionCode: '',
      local: false,
    });
  });
});
