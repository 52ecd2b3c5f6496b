"""Reading a ward's plan appendix (.xlsx, .docx, .csv) into tasks, units, deadlines and KPIs."""
