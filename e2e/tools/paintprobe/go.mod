module pkcedesk/e2e/tools/paintprobe

go 1.26.0

require github.com/jezek/xgb v1.1.1
