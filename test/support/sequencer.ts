// The order files start in: vitest's own (project by project; within one, the files that failed last
// time, then the longest by the last run's durations, or the largest when there is none — a fresh clone),
// except that browser files start before the others of their project. They are the longest files, and a
// long file that starts last runs alone at the end while the other worker waits: on a fresh clone a small
// file that drives many screens (the English accessibility tour) was started last and ran alone for 30 s.
import { BaseSequencer, type TestSpecification } from "vitest/node";

const browserFile = (spec: TestSpecification): boolean => spec.moduleId.includes("/test/e2e/");

export default class BrowserFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const projectRank = new Map<string, number>();
    for (const [index, spec] of sorted.entries())
      if (!projectRank.has(spec.project.name)) projectRank.set(spec.project.name, index);
    return sorted
      .map((spec, index) => ({
        spec,
        project: projectRank.get(spec.project.name) ?? 0,
        tier: browserFile(spec) ? 0 : 1,
        index,
      }))
      .sort((a, b) => a.project - b.project || a.tier - b.tier || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
