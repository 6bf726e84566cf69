import type { HandlerContext, HandlersFor } from './types';

/** Labels, annotations, agreement, rates, annotation packages. */
export function annotationHandlers(ctx: HandlerContext): HandlersFor<'annotationPackages' | 'annotations' | 'labels'> {
  const { annotation, packages } = ctx.services;
  return {
    'labels.list': () => annotation.labels(),
    'labels.add': ({ name, definition }) => annotation.addLabel(name, definition),
    'annotations.queue': (req) => annotation.queue(req),
    'annotations.get': ({ generationId, annotator }) => annotation.item(generationId, annotator),
    'annotations.save': ({ generationId, annotator, labels, note, decisions }) => annotation.save(generationId, annotator, { labels, note, decisions }),
    'annotations.undo': ({ annotator }) => annotation.undo(annotator),
    'annotations.assign': ({ runIds, annotators, overlap, seed }) => annotation.assign(runIds, annotators, overlap, seed),
    'annotations.agreement': (req) => annotation.agreement(req),
    'annotations.rates': (req) => annotation.rates(req),
    'annotations.export': ({ runId, format }) => ({ text: annotation.export(runId, format) }),
    'annotationPackages.create': (req) => packages.create(req),
    'annotationPackages.open': ({ path }) => packages.open(path),
    'annotationPackages.list': () => packages.packages(),
    'annotationPackages.export': ({ packageId, out }) => packages.export(packageId, out),
    'annotationPackages.merge': ({ files }) => packages.merge(files),
    'annotationPackages.studies': () => packages.studies(),
    'annotationPackages.report': ({ studyId }) => packages.report(studyId),
    'annotationPackages.resolveQueue': ({ studyId }) => packages.resolveQueue(studyId),
  };
}
