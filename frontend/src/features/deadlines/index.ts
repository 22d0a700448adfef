export { DeadlineLight, useLightText } from './components/deadline-light';
export { useDeadlineLight, useWorkCalendar } from './hooks/use-work-calendar';
export { calendarQueries } from './api/calendar-queries';
