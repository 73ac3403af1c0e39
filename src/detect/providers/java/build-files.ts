import type { RepoView } from '../../repo-view.js';
import { evidence, firstLine } from '../../text.js';
import type { Evidence } from '../../types.js';

/** What the provider needs from either build tool, so the rest of it is tool-agnostic. */
export interface JavaBuild {
  tool: 'maven' | 'gradle';
  file: string;
  name: string | null;
  version: string | null;
  javaVersion: string | null;
  springBoot: boolean;
  /** Dependency coordinates / plugin ids as written, for framework and module-type hints. */
  deps: string[];
  build: string;
  test: string;
  /** Where the runnable jar lands; null when it cannot be named from the build file. */
  jar: string | null;
  wrapper: boolean;
  evidence: Evidence[];
}

/** Top-level tag text, ignoring <parent>, <dependencies> and <build> where the same tags recur. */
function pomTag(pom: string, tag: string): string | null {
  const top = pom.replace(/<(parent|dependencies|dependencyManagement|build|profiles)>[\s\S]*?<\/\1>/g, '');
  return top.match(new RegExp(`<${tag}>\\s*([^<]+?)\\s*</${tag}>`))?.[1] ?? null;
}

export function readMaven(view: RepoView): JavaBuild | null {
  const pom = view.readText('pom.xml');
  if (pom === null) return null;
  const wrapper = view.exists('mvnw');
  const mvn = wrapper ? './mvnw' : 'mvn';
  const name = pomTag(pom, 'artifactId');
  const rawVersion = pomTag(pom, 'version');
  const version = rawVersion && !rawVersion.includes('${') ? rawVersion : null;
  const springBoot = /spring-boot-starter-parent|spring-boot-maven-plugin/.test(pom);
  const deps = [...pom.matchAll(/<artifactId>\s*([^<]+?)\s*<\/artifactId>/g)].map((m) => m[1] ?? '');
  const ev = [evidence('pom.xml', `Maven project ${name ?? ''}`.trim(), 2)];
  if (wrapper) ev.push(evidence('mvnw', 'Maven wrapper present', 1));
  return {
    tool: 'maven',
    file: 'pom.xml',
    name,
    version,
    javaVersion: pom.match(/<(?:java\.version|maven\.compiler\.release)>\s*(\d+)\s*</)?.[1] ?? null,
    springBoot,
    deps,
    build: `${mvn} -B -DskipTests package`,
    test: `${mvn} -B test`,
    jar: name && version ? `target/${name}-${version}.jar` : null,
    wrapper,
    evidence: ev,
  };
}

export function readGradle(view: RepoView): JavaBuild | null {
  const file = ['build.gradle.kts', 'build.gradle'].find((f) => view.exists(f));
  const text = file ? view.readText(file) : null;
  if (!file || text === null) return null;
  const wrapper = view.exists('gradlew');
  const gradle = wrapper ? './gradlew' : 'gradle';
  const settings = view.readText('settings.gradle.kts') ?? view.readText('settings.gradle') ?? '';
  const name = firstLine(settings, /rootProject\.name\s*=\s*['"]([^'"]+)['"]/)?.match[1] ?? null;
  const version = firstLine(text, /^\s*version\s*=\s*['"]([^'"]+)['"]/)?.match[1] ?? null;
  const springBoot = /org\.springframework\.boot/.test(text);
  const deps = [...text.matchAll(/['"]([\w.-]+:[\w.-]+)(?::[^'"]*)?['"]/g)].map(
    (m) => m[1]?.split(':')[1] ?? '',
  );
  const ev = [evidence(file, `Gradle project ${name ?? ''}`.trim(), 2)];
  if (wrapper) ev.push(evidence('gradlew', 'Gradle wrapper present', 1));
  const javaVersion =
    text.match(/JavaLanguageVersion\.of\((\d+)\)/)?.[1] ??
    text.match(/sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_)?['"]?(\d+)/)?.[1] ??
    null;
  return {
    tool: 'gradle',
    file,
    name,
    version,
    javaVersion,
    springBoot,
    deps,
    build: `${gradle} ${springBoot ? 'bootJar' : 'build -x test'}`,
    test: `${gradle} test`,
    // Gradle leaves the version out of the jar name when the project sets none.
    jar: name ? `build/libs/${name}${version ? `-${version}` : ''}.jar` : null,
    wrapper,
    evidence: ev,
  };
}
