from bfc_data.cli import main

main()
