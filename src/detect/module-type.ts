import type { ModuleType } from '../manifest/index.js';
import type { RepoView } from './repo-view.js';
import type { Language, Sourced } from './types.js';

/**
 * What kind of module a candidate is, with the reason. The order of the rules is the point:
 * infrastructure and ML/data signals are more specific than "has a web framework", and a
 * framework says more than "listens on a port".
 */
export interface ModuleTypeContext {
  language: Language;
  framework: string | null;
  /** Dependency names as written in the project file (case-insensitive match). */
  deps: readonly string[];
  /** Whether the candidate runs a server (framework or a port seen in code/commands). */
  serves: boolean;
}

const ML = ['torch', 'tensorflow', 'scikit-learn', 'sklearn', 'transformers', 'keras', 'xgboost', 'lightgbm'];
const ML_MORE = [
  'onnxruntime',
  'catboost',
  '@tensorflow/tfjs-node',
  'onnxruntime-node',
  'tch',
  'candle-core',
];
const SERVING = [
  'fastapi',
  'flask',
  'bentoml',
  'gradio',
  'uvicorn',
  'litserve',
  'streamlit',
  'express',
  'axum',
];
const ORCHESTRATORS = ['apache-airflow', 'airflow', 'prefect', 'dagster', 'luigi', 'kedro', 'apache-beam'];
const DATAFRAMES = ['pandas', 'polars', 'pyspark', 'dask', 'dbt-core', 'duckdb'];
const MESSAGING = ['grpcio', '@grpc/grpc-js', 'google.golang.org/grpc', 'tonic', 'kafka-python'];
const MESSAGING_MORE = ['confluent-kafka', 'kafkajs', 'pika', 'amqplib', 'nats', 'aio-pika', 'celery'];
const AUTOMATION = ['click', 'typer', 'schedule', 'apscheduler', 'commander', 'yargs', 'node-cron', 'cron'];
const AUTOMATION_MORE = ['github.com/spf13/cobra', 'clap', 'thor', 'github.com/robfig/cron/v3'];

const WEB_APP_FRAMEWORKS = new Set([
  'next',
  'nuxt',
  'remix',
  'react-router',
  'astro',
  'vite',
  'create-react-app',
  'django',
  'rails',
  'laravel',
  'symfony',
  'streamlit',
  'static',
]);
const VIEW_DEPS = [
  'ejs',
  'pug',
  'hbs',
  'express-handlebars',
  'nunjucks',
  'jinja2',
  'spring-boot-starter-thymeleaf',
];
const VIEW_DIRS = ['templates', 'views', 'app/views', 'resources/views', 'src/main/resources/templates'];
const VIEW_PAGES = ['public/index.html', 'static/index.html', 'index.html'];

function found(deps: readonly string[], names: readonly string[]): string[] {
  const lower = new Set(deps.map((d) => d.toLowerCase()));
  return names.filter((n) => lower.has(n));
}

function infrastructure(view: RepoView): string | null {
  const tf = view.list('').find((e) => e.kind === 'file' && e.name.endsWith('.tf'));
  if (tf) return `${tf.name}: Terraform configuration at the root`;
  if (view.exists('Chart.yaml')) return 'Chart.yaml: Helm chart at the root';
  if (view.exists('ansible.cfg') || view.exists('playbook.yml')) return 'Ansible playbook at the root';
  if (view.exists('Pulumi.yaml')) return 'Pulumi.yaml: Pulumi project at the root';
  return null;
}

/** Server-rendered templates or a bundled page mean people, not programs, use the app. */
export function viewsEvidence(view: RepoView, deps: readonly string[]): string | null {
  const engine = found(deps, VIEW_DEPS)[0];
  if (engine) return `view engine ${engine} in dependencies`;
  const dir = VIEW_DIRS.find((d) => view.list(d).length > 0);
  if (dir) return `${dir}/ holds templates`;
  const page = VIEW_PAGES.find((p) => view.exists(p));
  return page ? `${page} serves a page` : null;
}

export function classifyModuleType(view: RepoView, ctx: ModuleTypeContext): Sourced<ModuleType> {
  const is = (value: ModuleType, source: string): Sourced<ModuleType> => ({ value, source });
  const infra = infrastructure(view);
  if (infra) return is('infrastructure', infra);

  const ml = found(ctx.deps, [...ML, ...ML_MORE]);
  const serving = found(ctx.deps, SERVING);
  if (ml.length > 0 && (serving.length > 0 || ctx.serves)) {
    const how = serving.length > 0 ? `served with ${serving.join(', ')}` : 'served over HTTP';
    return is('ml_model', `ML libraries (${ml.join(', ')}) ${how}`);
  }
  const orchestrator = found(ctx.deps, ORCHESTRATORS)[0];
  if (orchestrator) return is('data_pipeline', `workflow orchestrator ${orchestrator} in dependencies`);
  const frames = found(ctx.deps, DATAFRAMES);
  if ((frames.length > 0 || ml.length > 0) && !ctx.serves) {
    return is('data_pipeline', `data libraries (${[...frames, ...ml].join(', ')}) and no server`);
  }

  if (ctx.serves) {
    const messaging = found(ctx.deps, [...MESSAGING, ...MESSAGING_MORE]);
    if (messaging.length > 0)
      return is('microservice', `service with RPC/messaging (${messaging.join(', ')})`);
    const fw = ctx.framework;
    if (fw && WEB_APP_FRAMEWORKS.has(fw)) {
      if (
        fw === 'django' &&
        found(ctx.deps, ['djangorestframework']).length > 0 &&
        !view.exists('templates')
      ) {
        return is('api', 'Django REST framework without templates/');
      }
      return is('web_app', `${fw} serves pages to browsers`);
    }
    const views = viewsEvidence(view, ctx.deps);
    if (views) return is('web_app', `${fw ?? 'HTTP server'} with views: ${views}`);
    if (fw) return is('api', `${fw} with no templates or pages: an HTTP API`);
    return is('web_app', 'serves HTTP on a port; no framework to say it is API-only');
  }

  const cli = found(ctx.deps, [...AUTOMATION, ...AUTOMATION_MORE]);
  if (cli.length > 0) return is('automation', `CLI/scheduling libraries (${cli.join(', ')}) and no server`);
  if (view.exists('crontab')) return is('automation', 'crontab: scheduled jobs and no server');
  return is('automation', 'runs a program that opens no port: a script or job');
}
