export { SelfInspectionButton } from './components/self-inspection-form';
export { SelfInspectionReview } from './components/self-inspection-review';
export { SelfInspectionBatchButton } from './components/self-inspection-batch';
