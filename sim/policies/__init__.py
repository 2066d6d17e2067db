"""The reform levers, one module each: posts, secondment, meetings, tasks, coordination, pay."""
