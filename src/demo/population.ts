// The demo area is generated one cluster at a time: a family with the people around it (an
// absent parent, grandparents, a perpetrator's new partner and her children) and a few
// households without children. Nothing refers across clusters, so each can be written to the
// database as soon as it is made.
import { placeIncidents, planCoupleAbuse, planFamilyAbuse } from './abuse';
import { buildAdultHousehold, buildFamily, perhapsMoveHouse } from './families';
import type { Prng } from './prng';
import { ClusterBuilder, type Cluster, type World } from './world';

/** Makes one cluster: a family, perhaps its story of abuse, and the households around it. */
export function generateCluster(world: World, prng: Prng, index: number, idPrefix: number, childBudget: number): { builder: ClusterBuilder; cluster: Cluster } {
  const b = new ClusterBuilder(world, prng, index, idPrefix);
  const family = buildFamily(b, childBudget);
  planFamilyAbuse(b, family, childBudget - b.cluster.children);
  if (b.cluster.stories.length === 0) perhapsMoveHouse(b, family);
  // Enough households without children that the area has about four people for each child.
  const households = prng.weighted([[0, 10], [1, 25], [2, 30], [3, 25], [4, 10]] as const);
  for (let i = 0; i < households; i++) {
    const couple = buildAdultHousehold(b);
    if (couple) planCoupleAbuse(b, couple);
  }
  const cluster = b.finish();
  placeIncidents(b);
  return { builder: b, cluster };
}
