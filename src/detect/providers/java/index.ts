import { makeCandidate, sourced } from '../../candidate.js';
import { classifyModuleType } from '../../module-type.js';
import { choosePort, conventionPort, dockerfilePort, dotenvPort, portsInCode } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence } from '../../text.js';
import type { Candidate, Sourced } from '../../types.js';
import { readGradle, readMaven } from './build-files.js';

const SPRING_CONFIG = ['src/main/resources/application.properties', 'src/main/resources/application.yml'];

function detectJava(view: RepoView): Candidate[] {
  const build = readMaven(view) ?? readGradle(view);
  if (!build) return [];
  const ev = [...build.evidence];
  if (build.springBoot) ev.push(evidence(build.file, 'Spring Boot plugin/parent', 3));
  if (view.exists('src/main/java') || view.exists('src/main/kotlin'))
    ev.push(evidence('src/main', 'application sources in src/main', 1));

  const port = build.springBoot
    ? choosePort([
        // Spring reads server.port from application.properties/yml (`server:\n  port: N` in yml).
        ...portsInCode(view, { extensions: [], entryFiles: SPRING_CONFIG, maxFiles: 0 }),
        dotenvPort(view),
        dockerfilePort(view),
        conventionPort(8080, 'Spring Boot'),
      ])
    : choosePort([
        ...portsInCode(view, { extensions: ['.java', '.kt'] }),
        dotenvPort(view),
        dockerfilePort(view),
      ]);
  const jar = build.jar;
  if (!jar) ev.push(evidence(build.file, 'jar name not fixed in the build file; start uses a glob', 0));
  const versions: Record<string, Sourced<string>> = {};
  if (build.javaVersion)
    versions['java'] = sourced(build.javaVersion, `${build.file}: Java ${build.javaVersion}`);
  const jdk = build.javaVersion ? `openjdk-${build.javaVersion}-jdk-headless` : 'default-jdk-headless';
  return [
    makeCandidate({
      provider: 'java',
      language: 'java',
      framework: build.springBoot ? 'spring-boot' : null,
      packageManager: build.tool,
      versions,
      install: null,
      build: sourced(build.build, `${build.file}${build.wrapper ? ' (wrapper)' : ''}`),
      start: sourced(
        `java -jar ${jar ?? (build.tool === 'maven' ? 'target/*.jar' : 'build/libs/*.jar')}`,
        `jar built by ${build.tool}`,
      ),
      test: sourced(build.test, build.file),
      port,
      moduleType: classifyModuleType(view, {
        language: 'java',
        framework: build.springBoot ? 'spring-boot' : null,
        deps: build.deps,
        serves: build.springBoot || port !== null,
      }),
      systemDependencies: [jdk, ...(build.wrapper ? [] : [build.tool])],
      evidence: ev,
    }),
  ];
}

export const javaProvider: Provider = { id: 'java', detect: detectJava };
