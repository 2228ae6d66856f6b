from aiprogress.app.cli import main

main()
