1000 0 100 app 100 open > name=/etc/passwd flags=1
1500 0 100 app 101 read > fd=3 size=10
1700 0 100 app 100 read > fd=3 size=4096
2000 0 100 app 100 close > fd=3
2600 0 100 app 101 write > fd=1 size=5
3000 0 100 app 101 read > fd=3 size=10
