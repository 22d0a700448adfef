"""What issues-api's tests and bench share: tokens signed with the app's key (`tokens`), a ledger world of three
units and a campaign on the real app, driving issues to any status (`ledger`), and ledger files for the import
(`sheets`)."""
