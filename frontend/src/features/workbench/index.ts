export { UnitWorkbenchPage } from './components/unit-workbench-page';
export { OfficeDeskPage } from './components/office-desk-page';
