import { describe, expect, it } from 'vitest';
import { memoryView } from '../../src/detect/index.js';
import { classifyModuleType, type ModuleTypeContext } from '../../src/detect/module-type.js';

const ctx = (over: Partial<ModuleTypeContext>): ModuleTypeContext => ({
  language: 'python',
  framework: null,
  deps: [],
  serves: false,
  ...over,
});

describe('classifyModuleType', () => {
  const empty = memoryView({});
  it.each([
    ['FastAPI is an API', ctx({ framework: 'fastapi', deps: ['fastapi'], serves: true }), 'api'],
    [
      'Express without views is an API',
      ctx({ language: 'node', framework: 'express', deps: ['express'], serves: true }),
      'api',
    ],
    [
      'Express with ejs is a web app',
      ctx({ language: 'node', framework: 'express', deps: ['express', 'ejs'], serves: true }),
      'web_app',
    ],
    ['Next.js is a web app', ctx({ language: 'node', framework: 'next', serves: true }), 'web_app'],
    [
      'torch + fastapi is an ML model',
      ctx({ framework: 'fastapi', deps: ['torch', 'fastapi'], serves: true }),
      'ml_model',
    ],
    ['sklearn alone is a pipeline', ctx({ deps: ['scikit-learn'] }), 'data_pipeline'],
    ['airflow is a pipeline', ctx({ deps: ['apache-airflow'] }), 'data_pipeline'],
    ['pandas without a server is a pipeline', ctx({ deps: ['pandas'] }), 'data_pipeline'],
    [
      'grpc service is a microservice',
      ctx({ framework: 'fastapi', deps: ['fastapi', 'grpcio'], serves: true }),
      'microservice',
    ],
    ['click CLI is automation', ctx({ deps: ['click'] }), 'automation'],
    ['plain script is automation', ctx({}), 'automation'],
  ])('%s', (_name, context, expected) => {
    expect(classifyModuleType(empty, context).value).toBe(expected);
  });

  it('explains itself', () => {
    expect(
      classifyModuleType(empty, ctx({ deps: ['torch', 'flask'], framework: 'flask', serves: true })),
    ).toEqual({
      value: 'ml_model',
      source: 'ML libraries (torch) served with flask',
    });
  });

  it('uses the repo: templates make Flask a web app, Terraform makes infrastructure', () => {
    const flask = ctx({ framework: 'flask', deps: ['flask'], serves: true });
    expect(classifyModuleType(memoryView({ 'templates/index.html': '<h1/>' }), flask)).toEqual({
      value: 'web_app',
      source: 'flask with views: templates/ holds templates',
    });
    expect(classifyModuleType(memoryView({}), flask).value).toBe('api');
    expect(classifyModuleType(memoryView({ 'main.tf': '' }), flask)).toEqual({
      value: 'infrastructure',
      source: 'main.tf: Terraform configuration at the root',
    });
    expect(classifyModuleType(memoryView({ 'Chart.yaml': '' }), ctx({})).value).toBe('infrastructure');
  });

  it('Django REST framework without templates is an API', () => {
    const drf = ctx({ framework: 'django', deps: ['django', 'djangorestframework'], serves: true });
    expect(classifyModuleType(memoryView({}), drf).value).toBe('api');
  });
});
