from aiprogress.app.entry import main

main()
